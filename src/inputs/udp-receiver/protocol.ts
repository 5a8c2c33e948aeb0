// The messages between a ReceiveThread (main thread) and its thread (thread.ts).

/** What the thread is started with (its workerData). */
export interface ReceiveThreadSetup {
  readonly host: string;
  readonly port: number;
  readonly recvBufferSize: number;
  /**
   * Shared counters, an Int32Array over this buffer: [IN_FLIGHT] batch bytes posted and not yet
   * applied by the main thread; [OVERFLOWED] datagrams dropped because that reached `maxInFlightBytes`.
   */
  readonly shared: SharedArrayBuffer;
  readonly maxInFlightBytes: number;
}

export const IN_FLIGHT = 0;
export const OVERFLOWED = 1;
export const SHARED_COUNTERS = 2;

/** Thread → main thread. */
export type ReceiveThreadMessage =
  | {
      readonly type: 'bound';
      readonly address: string;
      readonly family: string;
      readonly port: number;
      readonly recvBufferSize: number;
    }
  | { readonly type: 'bind_failed'; readonly message: string; readonly code: string | undefined }
  | { readonly type: 'batch'; readonly buffer: ArrayBuffer; readonly length: number }
  | { readonly type: 'socket_error'; readonly message: string };

/** Main thread → thread: close the socket, send the last batch, and end. */
export type ReceiveThreadCommand = { readonly type: 'close' };
