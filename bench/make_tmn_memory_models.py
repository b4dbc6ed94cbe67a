#!/usr/bin/env python3
"""Writes the .tmn files bench/run_tmn_memory.sh reads (standard library only).

  tiny.tmn          4 features -> fc 1 logit: what the program itself takes
  normal.tmn        1000 features -> fc 1000 (a 1 MB int8 matrix) -> fc 10 int32 logits
  shared-N.tmn      N fully connected ops whose five arrays (weights, bias, multiplier,
                    shift, output scale) all claim the whole 1 MB blob: an old reader
                    copied 5 MB per op before validating (N = 500: 2.5 GB, 4000: 20 GB)
  tied-500.tmn      a valid chain of 500 1000x1000 layers that all point at one matrix
                    (an old reader held 500 copies and ran it)
  wide-arena.tmn    40 unused 8192x8192 inputs: a 2.7 GB activation arena from 2 kB

Layout as core/runtime/model_format.h: header "TM2N" | u32 version | u32 sections |
u64 payload bytes | u32 CRC-32 (zlib's) of the payload; then the section table and
the tensors, inputs, ops and weight-blob sections.
Usage: make_tmn_memory_models.py OUT_DIR
"""
import os
import struct
import sys
import zlib

FC, UINT8, INT32 = 4, 1, 2


def string(s):
    b = s.encode()
    return struct.pack("<I", len(b)) + b


def tensor(name, dtype, c, h, w, scale, bits):
    return string(name) + struct.pack("<BIIIfiB", dtype, c, h, w, scale, 0, bits)


def fc_op(name, src, dst, refs):
    """refs: five (offset, count) pairs; one input at scale x1 (m = 2^30, shift 30)."""
    out = struct.pack("<B", FC) + string(name) + struct.pack("<IIii", 1, src, 1 << 30, 30)
    out += struct.pack("<IIIIIBB", dst, 1, 1, 1, 0, 0, 8)
    for offset, count in refs:
        out += struct.pack("<QQ", offset, count)
    return out


def model(tensors, inputs, output, ops, blob):
    sections = [
        struct.pack("<I", len(tensors)) + b"".join(tensors),
        struct.pack("<I", len(inputs)) + b"".join(string(m) + struct.pack("<I", t) for m, t in inputs)
        + struct.pack("<I", output),
        struct.pack("<I", len(ops)) + b"".join(ops),
        blob,
    ]
    table, offset = b"", 20 * len(sections)
    for kind, body in enumerate(sections, start=1):
        table += struct.pack("<IQQ", kind, offset, len(body))
        offset += len(body)
    payload = table + b"".join(sections)
    return b"TM2N" + struct.pack("<IIQI", 1, len(sections), len(payload), zlib.crc32(payload)) + payload


def requant(width):
    return struct.pack("<%di" % width, *([1 << 30] * width)), struct.pack("<%di" % width, *([30] * width))


def normal():
    m1, s1 = requant(1000)
    m2, s2 = requant(10)
    parts = [bytes(k % 7 for k in range(1000 * 1000)), m1, s1, bytes(k % 5 for k in range(10 * 1000)), m2, s2,
             struct.pack("<10f", *([1.0] * 10))]
    offsets, blob = [], b""
    for p in parts:
        offsets.append(len(blob))
        blob += p
    tensors = [tensor("x", UINT8, 1000, 1, 1, 0.5, 8), tensor("h", UINT8, 1000, 1, 1, 0.5, 8),
               tensor("logits", INT32, 10, 1, 1, 1.0, 32)]
    ops = [fc_op("fc0", 0, 1, [(offsets[0], 10 ** 6), (0, 0), (offsets[1], 1000), (offsets[2], 1000), (0, 0)]),
           fc_op("fc1", 1, 2, [(offsets[3], 10 ** 4), (0, 0), (offsets[4], 10), (offsets[5], 10), (offsets[6], 10)])]
    return model(tensors, [("audio", 0)], 2, ops, blob)


def chain_tensors(n, width):
    return [tensor("t%d" % i, INT32 if i == n else UINT8, width, 1, 1, 1.0 if i == n else 0.5, 32 if i == n else 8)
            for i in range(n + 1)]


def shared(n, blob_bytes=1 << 20):
    whole = [(0, blob_bytes)] + [(0, blob_bytes // 4)] * 4
    ops = [fc_op("fc%d" % i, i, i + 1, whole) for i in range(n)]
    return model(chain_tensors(n, 16), [("audio", 0)], n, ops, b"\x01" * blob_bytes)


def tied(n, width=1000):
    m, s = requant(width)
    blob = bytes(k % 5 for k in range(width * width)) + m + s + struct.pack("<%df" % width, *([1.0] * width))
    w, mo, so, fo = 0, width * width, width * width + 4 * width, width * width + 8 * width
    hidden = [(w, width * width), (0, 0), (mo, width), (so, width), (0, 0)]
    last = hidden[:4] + [(fo, width)]
    ops = [fc_op("fc%d" % i, i, i + 1, last if i == n - 1 else hidden) for i in range(n)]
    return model(chain_tensors(n, width), [("audio", 0)], n, ops, blob)


def wide_arena(unused_inputs=40):
    tensors = [tensor("in%d" % i, UINT8, 1, 8192, 8192, 0.5, 8) for i in range(unused_inputs)]
    tensors += [tensor("x", UINT8, 4, 1, 1, 0.5, 8), tensor("logits", INT32, 1, 1, 1, 1.0, 32)]
    blob = bytes([1, 2, 3, 4]) + struct.pack("<iif", 1 << 30, 30, 1.0)
    n = unused_inputs
    ops = [fc_op("fc", n, n + 1, [(0, 4), (0, 0), (4, 1), (8, 1), (12, 1)])]
    inputs = [("in%d" % i, i) for i in range(n)] + [("x", n)]
    return model(tensors, inputs, n + 1, ops, blob)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    files = {"tiny.tmn": wide_arena(0), "normal.tmn": normal(), "shared-500.tmn": shared(500), "shared-4000.tmn": shared(4000),
             "tied-500.tmn": tied(500), "wide-arena.tmn": wide_arena()}
    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
