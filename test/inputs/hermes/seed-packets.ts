// The UDP packets of the Hermes README (seed 002), verbatim (the same ones send_seed_packets.py sends).

export const COUNTER = `{
    "metric_name": "sample_counter",
    "payload": {
        "labels": {
            "label_1": "testing label 1"
        }
    }
}`;

export const GAUGE_INCREMENT = `{
    "metric_name": "sample_gauge",
    "payload": {
        "labels": {
            "label_1": "testing label 1",
            "label_2": "testing label 2"
        },
        "operation": "increment"
    }
}`;

export const GAUGE_DECREMENT = `{
    "metric_name": "sample_gauge",
    "payload": {
        "labels": {
            "label_1": "testing label 1",
            "label_2": "testing label 2"
        },
        "operation": "decrement"
    }
}`;

export const GAUGE_SET = `{
    "metric_name": "sample_gauge",
    "payload": {
        "labels": {
            "label_1": "testing label 1",
            "label_2": "testing label 2"
        },
        "value": 65.4,
        "operation": "set"
    }
}`;

export const HISTOGRAM = `{
    "metric_name": "sample_histogram",
    "payload": {
        "labels": {
            "label_1": "testing label 1"
        },
        "observation": 65.4
    }
}`;

export const SUMMARY = `{
    "metric_name": "sample_summary",
    "payload": {
        "labels": {
            "label_1": "testing label 1"
        },
        "observation": 65.4
    }
}`;

export const SEED_PACKETS = [COUNTER, GAUGE_INCREMENT, GAUGE_DECREMENT, GAUGE_SET, HISTOGRAM, SUMMARY];

export const L1 = { label_1: 'testing label 1' };
export const L12 = { label_1: 'testing label 1', label_2: 'testing label 2' };
