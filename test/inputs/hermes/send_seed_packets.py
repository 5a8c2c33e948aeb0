#!/usr/bin/env python3
"""Send the UDP packets of the Hermes README (seed 002), verbatim, to a Hermes-compatible input.

Standard library only. Usage: send_seed_packets.py HOST PORT
Prints the number of datagrams sent.
"""

import socket
import sys

COUNTER = """{
    "metric_name": "sample_counter",
    "payload": {
        "labels": {
            "label_1": "testing label 1"
        }
    }
}"""

GAUGE_INCREMENT = """{
    "metric_name": "sample_gauge",
    "payload": {
        "labels": {
            "label_1": "testing label 1",
            "label_2": "testing label 2"
        },
        "operation": "increment"
    }
}"""

GAUGE_DECREMENT = """{
    "metric_name": "sample_gauge",
    "payload": {
        "labels": {
            "label_1": "testing label 1",
            "label_2": "testing label 2"
        },
        "operation": "decrement"
    }
}"""

GAUGE_SET = """{
    "metric_name": "sample_gauge",
    "payload": {
        "labels": {
            "label_1": "testing label 1",
            "label_2": "testing label 2"
        },
        "value": 65.4,
        "operation": "set"
    }
}"""

HISTOGRAM = """{
    "metric_name": "sample_histogram",
    "payload": {
        "labels": {
            "label_1": "testing label 1"
        },
        "observation": 65.4
    }
}"""

SUMMARY = """{
    "metric_name": "sample_summary",
    "payload": {
        "labels": {
            "label_1": "testing label 1"
        },
        "observation": 65.4
    }
}"""

PACKETS = [COUNTER, GAUGE_INCREMENT, GAUGE_DECREMENT, GAUGE_SET, HISTOGRAM, SUMMARY]


def main() -> int:
    host, port = sys.argv[1], int(sys.argv[2])
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for packet in PACKETS:
        sock.sendto(packet.encode("utf-8"), (host, port))
    sock.close()
    print(len(PACKETS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
