// One error type for everything wrong with a remote_write body, so a receiver can answer 400 ("will
// never succeed") for exactly these and 5xx for anything else. The message starts with the layer at
// fault: "snappy: …", "protobuf: …" or "labels: …".

export class RemoteWriteDecodeError extends Error {
  override readonly name = 'RemoteWriteDecodeError';
}
