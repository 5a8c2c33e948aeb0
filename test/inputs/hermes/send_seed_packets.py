#!/usr/bin/env python3
"""Send the UDP packets of the Hermes README (seed 002), verbatim, to a Hermes-compatible input.

Standard library only. Usage: send_seed_packets.py HOST PORT
The packets are the files of test/fixtures/hermes-seed-packets/, sent in name order.
Prints the number of datagrams sent.
"""

import pathlib
import socket
import sys

PACKET_DIR = pathlib.Path(__file__).resolve().parent.parent.parent / "fixtures" / "hermes-seed-packets"


def main() -> int:
    host, port = sys.argv[1], int(sys.argv[2])
    packets = [p.read_text(encoding="utf-8").rstrip() for p in sorted(PACKET_DIR.glob("*.json"))]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for packet in packets:
        sock.sendto(packet.encode("utf-8"), (host, port))
    sock.close()
    print(len(packets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
