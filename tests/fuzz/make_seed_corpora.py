#!/usr/bin/env python3
"""Writes the small seed corpora of the WAV, .npy, IDX, power-log and JSON fuzz
targets (tests/fuzz/<target>_corpus). The seeds are committed; rerun this after
a format change: python3 tests/fuzz/make_seed_corpora.py"""
import gzip
import json
import math
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def folder(name):
    path = os.path.join(HERE, name)
    os.makedirs(path, exist_ok=True)
    return path


def write(dirname, name, data):
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(dirname, name), "wb") as f:
        f.write(data)


def wav(fmt_tag, channels, rate, bits, samples, extensible=False, extra_chunks=b"", data_size=None):
    block = channels * bits // 8
    if extensible:
        fmt = struct.pack("<HHIIHH", 0xFFFE, channels, rate, rate * block, block, bits)
        guid_tail = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
        fmt += struct.pack("<HHI", 22, bits, 0) + struct.pack("<H", fmt_tag) + guid_tail
    else:
        fmt = struct.pack("<HHIIHH", fmt_tag, channels, rate, rate * block, block, bits)
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt + extra_chunks
    chunks += b"data" + struct.pack("<I", len(samples) if data_size is None else data_size) + samples
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


def pcm16(n, channels=1):
    return b"".join(struct.pack("<h", int(8000 * math.sin(i / 5.0))) * channels for i in range(n))


def float32(n, channels=1):
    return b"".join(struct.pack("<f", 0.5 * math.sin(i / 3.0)) * channels for i in range(n))


def npy(shape, payload, descr="<f4", fortran=False, version=b"\x01\x00"):
    dims = "".join(f"{d}, " for d in shape) if len(shape) == 1 else ", ".join(str(d) for d in shape)
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': (%s), }" % (descr, fortran, dims)
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * (pad % 64) + "\n"
    return b"\x93NUMPY" + version + struct.pack("<H", len(header)) + header.encode() + payload


def idx(magic, dims, payload):
    return struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims) + payload


def main():
    d = folder("wav_corpus")
    write(d, "pcm16_mono.wav", wav(1, 1, 8000, 16, pcm16(64)))
    write(d, "pcm16_stereo_odd_chunk.wav", wav(1, 2, 16000, 16, pcm16(32, 2), extra_chunks=b"LIST\x03\x00\x00\x00abc\x00"))
    write(d, "float32_mono.wav", wav(3, 1, 22050, 32, float32(48)))
    write(d, "extensible_pcm16.wav", wav(1, 2, 8000, 16, pcm16(16, 2), extensible=True))
    write(d, "data_claims_more.wav", wav(1, 1, 8000, 16, pcm16(16), data_size=4000))

    d = folder("npy_corpus")
    write(d, "matrix_2x3.npy", npy((2, 3), struct.pack("<6f", 0, 1, -1, 0.5, 1e-3, 3e4)))
    write(d, "vector_4.npy", npy((4,), struct.pack("<4f", 1, 2, 3, 4)))
    write(d, "scalar.npy", npy((), struct.pack("<f", 7)))
    write(d, "empty_0x4.npy", npy((0, 4), b""))
    write(d, "float64.npy", npy((2,), struct.pack("<2d", 1, 2), descr="<f8"))
    write(d, "fortran.npy", npy((2, 2), struct.pack("<4f", 1, 2, 3, 4), fortran=True))
    write(d, "short_data.npy", npy((3, 3), struct.pack("<4f", 1, 2, 3, 4)))

    d = folder("idx_reader_corpus")
    images = idx(0x803, (2, 3, 3), bytes(range(18)))
    write(d, "images_2x3x3.idx", images)
    write(d, "images_2x3x3.idx.gz", gzip.compress(images, mtime=0))
    write(d, "labels_4.idx", idx(0x801, (4,), bytes([0, 1, 2, 9])))
    write(d, "labels_4_truncated.idx", idx(0x801, (4,), bytes([0, 1])))
    # 16 bytes whose header claims 1 GiB of pixels: the reader must not allocate it up front.
    write(d, "images_header_claims_1gib.idx", idx(0x803, (1 << 14, 256, 256), b""))

    d = folder("power_log_corpus")
    rows = "".join(f"{t * 100},{5},{0.4 if 10 <= t < 30 else 0.3}\n" for t in range(40))
    write(d, "volts_amps_ms.csv", "Time (ms),Voltage (V),Current (A)\n" + rows + "4000,5,oops\n")
    rows = "".join(f"{t * 0.1:.1f};{2.0 if 5 <= t < 15 else 1.5}\n" for t in range(20))
    write(d, "watts_semicolon.csv", "time_s;power_W\n" + rows)
    rows = "".join(f"{t}\t{5000}\t{300 + (100 if 3 <= t < 7 else 0)}\n" for t in range(10))
    write(d, "millivolts_tab.csv", "t [s]\tVBUS [mV]\tI [mA]\n" + rows)
    write(d, "no_time_column.csv", "date,temperature\n1,2\n")

    d = folder("json_specs_corpus")
    for i, name in enumerate(sorted(os.listdir(os.path.join(ROOT, "resources", "presets")))):
        with open(os.path.join(ROOT, "resources", "presets", name), "rb") as f:
            write(d, f"model_spec_{i}.json", b"\x00" + f.read())
    dataset = {"modalities": [{"name": "cough", "kind": "audio", "audio": {"sample_rate": 16000},
                               "mfcc": {"n_mfcc": 13, "n_mels": 40}},
                              {"name": "image", "kind": "image"}],
               "classes": ["healthy", "sick"]}
    write(d, "dataset_spec.json", b"\x01" + json.dumps(dataset).encode())
    problem = {"layers": [
        {"name": "conv1", "params": 1000, "macs": 50000, "omega": {"4": 3.0, "8": 0.5}, "group": "image"},
        {"name": "conv2", "params": 2000, "macs": 80000, "omega": {"4": 2.0, "8": 0.1}},
        {"name": "fc", "params": 4000, "macs": 4000, "omega": {"4": 1.0, "8": 0.2}, "pinned": 8}],
        "bops_max": 1e7, "size_bytes_max": 6000}
    write(d, "ilp_problem.json", b"\x02" + json.dumps(problem).encode())
    alpha = dict(problem)
    del alpha["size_bytes_max"]
    alpha["size_alpha"] = 0.5
    write(d, "ilp_problem_alpha.json", b"\x02" + json.dumps(alpha).encode())
    table = {"unit": "us", "layers": {"image.0.conv2d": {"4": 12.5, "8": 13.0}, "classifier": {"8": 2.0}},
             "other_ops_us": 4.0, "machine": "x86_64"}
    write(d, "latency_table.json", b"\x03" + json.dumps(table).encode())


if __name__ == "__main__":
    main()
