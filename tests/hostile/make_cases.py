#!/usr/bin/env python3
"""Writes the hostile-input corpus: one folder per case with its input file(s)
and an `expect` file (tests/cli/hostile_corpus_test.cpp runs them). Cases whose
right behaviour is not on main yet go to pending/ (skipped by the runner).
Rerun after editing: python3 tests/hostile/make_cases.py (it rewrites every
case folder it knows, and leaves others alone)."""
import binascii
import gzip
import json
import os
import random
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RNG = random.Random(13)

BENCH = "tinym2net-bench {case}/model.tmn --runs 1 --warmup 0"
MFCC = "tinym2net dsp mfcc {case}/clip.wav --out {out}/clip.npy"
RUNTIME_WAV = "tinym2net-bench {model} --runs 1 --warmup 0 --audio {case}/clip.wav"
POWER = "tinym2net power {case}/log.csv"
TRAIN_SPEC = "tinym2net train --data {out}/no-dataset --spec {case}/spec.json --out {out}/run --quiet"
INSPECT = "tinym2net data inspect {case}/dataset --quiet"
ILP = "tinym2net ilp {case}/problem.json"
PLAN = "tinym2net export --run {run} --plan {case}/plan.json --out {out}/model.tmn"
LATENCY = ("tinym2net quantize --run {run} --mode mp --latency-table {case}/table.json --latency-us 1000 "
           "--plan-out {out}/plan.json --workspace {out}/ws --quiet")


def case(name, files, run, stderr, exit_code=1, pending=None, stdout=None, limit_mb=None):
    """files: {relative path: bytes or str}; pending: why it is not active yet."""
    base = os.path.join(HERE, "pending") if pending else HERE
    folder = os.path.join(base, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    for rel, data in files.items():
        path = os.path.join(folder, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
    key = "read" if run.split()[0] in ("npy", "idx-images", "idx-labels") else "run"
    lines = [f"# {name}" + (f" (pending: {pending})" if pending else ""), f"{key}: {run}", f"exit: {exit_code}"]
    lines += [f"stderr: {s}" for s in ([stderr] if isinstance(stderr, str) else stderr)]
    if stdout:
        lines.append(f"stdout: {stdout}")
    if limit_mb:
        lines.append(f"limit-mb: {limit_mb}")
    with open(os.path.join(folder, "expect"), "w") as f:
        f.write("\n".join(lines) + "\n")


def random_bytes(n):
    return bytes(RNG.randrange(256) for _ in range(n))


# ---- .tmn ----------------------------------------------------------------------

TINY = open(os.path.join(ROOT, "tests", "fuzz", "tmn_corpus", "tiny.tmn"), "rb").read()


def with_crc(b):
    b = bytearray(b)
    b[12:20] = struct.pack("<Q", len(b) - 24)
    b[20:24] = struct.pack("<I", binascii.crc32(bytes(b[24:])) & 0xFFFFFFFF)
    return bytes(b)


def section(b, kind):
    for i in range(struct.unpack("<I", b[8:12])[0]):
        k, off, size = struct.unpack("<IQQ", b[24 + 20 * i:44 + 20 * i])
        if k == kind:
            return 24 + off, size
    raise KeyError(kind)


def first_op_fields(b):
    """Byte offsets in the file of the first op's weight-bits byte and weights reference."""
    at, _ = section(b, 3)
    at += 4 + 1  # op count, op type
    at += 4 + struct.unpack("<I", b[at:at + 4])[0]  # name
    n = struct.unpack("<I", b[at:at + 4])[0]
    at += 4 + 12 * n + 4 + 16 + 1  # inputs, output, kernel/stride/padding, relu
    return at, at + 1


def op_fields(b):
    """Per op: (type, name, file offset of its padding field, file offset of its bias array)."""
    at, _ = section(b, 3)
    blob_at, _ = section(b, 4)
    out = []
    count = struct.unpack("<I", b[at:at + 4])[0]
    at += 4
    for _ in range(count):
        op_type = b[at]
        n = struct.unpack("<I", b[at + 1:at + 5])[0]
        name = b[at + 5:at + 5 + n].decode()
        at += 5 + n
        inputs = struct.unpack("<I", b[at:at + 4])[0]
        at += 4 + 12 * inputs + 4  # inputs, output
        padding_at = at + 12  # after kernel_h, kernel_w, stride
        at += 16 + 2  # kernel/stride/padding, relu, weight bits
        bias_offset = struct.unpack("<Q", b[at + 16:at + 24])[0]  # the second array reference
        out.append((op_type, name, padding_at, blob_at + bias_offset))
        at += 5 * 16
    return out


def patched(b, at, data):
    b = bytearray(b)
    b[at:at + len(data)] = data
    return with_crc(bytes(b))


def tmn_cases():
    case("tmn_zero_length", {"model.tmn": b""}, BENCH, "truncated at byte 0 reading magic")
    case("tmn_random_bytes", {"model.tmn": random_bytes(1024)}, BENCH, "not a .tmn model")
    case("tmn_truncated_in_header", {"model.tmn": TINY[:20]}, BENCH, "truncated at byte 20 reading checksum")
    case("tmn_truncated_in_payload", {"model.tmn": TINY[:len(TINY) // 2]}, BENCH, "truncated or padded file")
    case("tmn_padded", {"model.tmn": TINY + b"\0" * 16}, BENCH, "truncated or padded file")
    flipped = bytearray(TINY)
    flipped[600] ^= 0x40
    case("tmn_checksum_mismatch", {"model.tmn": bytes(flipped)}, BENCH, "checksum mismatch")
    case("tmn_future_version", {"model.tmn": TINY[:4] + struct.pack("<I", 99) + TINY[8:]}, BENCH,
         "format version 99 is not supported")
    case("tmn_section_outside_file", {"model.tmn": patched(TINY, 24 + 4, struct.pack("<Q", 1 << 40))}, BENCH,
         "lies outside the file")
    case("tmn_section_count_huge", {"model.tmn": with_crc(TINY[:8] + struct.pack("<I", 0xFFFFFFFF) + TINY[12:])},
         BENCH, "does not fit in the file")
    ops_at, _ = section(TINY, 3)
    case("tmn_op_count_huge", {"model.tmn": patched(TINY, ops_at, struct.pack("<I", 0x7FFFFFFF))}, BENCH,
         "op count 2147483647 does not fit")
    bits_at, weights_at = first_op_fields(TINY)
    case("tmn_weight_bits_3", {"model.tmn": patched(TINY, bits_at, b"\x03")}, BENCH, "weight bits 3 (this runtime reads 2, 4 or 8)")
    case("tmn_weights_outside_blob", {"model.tmn": patched(TINY, weights_at, struct.pack("<Q", 1 << 20))}, BENCH,
         "lies outside the")
    case("tmn_weight_count_huge", {"model.tmn": patched(TINY, weights_at + 8, struct.pack("<Q", 1 << 62))}, BENCH,
         "is implausible")
    tensors_at, _ = section(TINY, 1)
    case("tmn_tensor_count_huge", {"model.tmn": patched(TINY, tensors_at, struct.pack("<I", 1 << 30))}, BENCH,
         "tensor count 1073741824 does not fit")
    wrapping = open(os.path.join(ROOT, "tests", "fuzz", "tmn_corpus", "hostile_wrapping_shape.tmn"), "rb").read()
    case("tmn_shape_wraps_64_bits", {"model.tmn": wrapping}, BENCH, "is empty or too large")
    case("tmn_export_mcu_truncated", {"model.tmn": TINY[:len(TINY) // 2]},
         "tinym2net export-mcu --model {case}/model.tmn --out {out}/mcu", "truncated or padded file")
    # Attention fusion's softmax and broadcast mul (tests/core/runtime/tiny_model.h, attentionModel).
    attention = open(os.path.join(ROOT, "tests", "fuzz", "tmn_corpus", "attention_fusion.tmn"), "rb").read()
    ops = {name: (t, pad, bias) for t, name, pad, bias in op_fields(attention)}
    _, _, table_at = ops["fusion.attention.softmax"]
    case("tmn_softmax_table_zero", {"model.tmn": patched(attention, table_at, struct.pack("<i", 0))}, BENCH,
         ["'fusion.attention.softmax'", "softmax table[0] is 0"])
    _, padding_at, _ = ops["fusion.attention.image.mul"]
    case("tmn_broadcast_mul_past_weights", {"model.tmn": patched(attention, padding_at, struct.pack("<I", 9))},
         BENCH, "broadcasts element 8 (padding 9) of a 2-element input")
    # Many ops sharing one blob: each copies it before validation (issue 13, defect 2).
    case("tmn_shared_blob_amplification", {"model.tmn": shared_blob_amplifier()},
         "tinym2net-bench {case}/model.tmn --runs 1 --warmup 0", "model.tmn", limit_mb=700)


def shared_blob_amplifier():
    """4000 fully connected ops, each pointing at the same 256 KiB of weights: ~0.7 MB of file."""
    blob = bytes(256 * 1024)
    tensors = struct.pack("<I", 2)
    for name, c in ((b"in", 512), (b"out", 512)):
        tensors += struct.pack("<I", len(name)) + name + b"\x00" + struct.pack("<IIIfiB", c, 1, 1, 1.0, 0, 8)
    io = struct.pack("<I", 1) + struct.pack("<I", 5) + b"audio" + struct.pack("<I", 0) + struct.pack("<I", 1)
    ops = struct.pack("<I", 4000)
    for i in range(4000):
        name = b"fc%d" % i
        ops += b"\x03" + struct.pack("<I", len(name)) + name + struct.pack("<I", 1) + struct.pack("<Iii", 0, 0, 0)
        ops += struct.pack("<I", 1) + struct.pack("<IIII", 1, 1, 1, 0) + b"\x00\x08"
        ops += struct.pack("<QQ", 0, len(blob)) + struct.pack("<QQ", 0, 0) * 4
    sections = [(1, tensors), (2, io), (3, ops), (4, blob)]
    table, payload, off = b"", b"", 20 * len(sections)
    for kind, data in sections:
        table += struct.pack("<IQQ", kind, off, len(data))
        off += len(data)
    payload = table + b"".join(d for _, d in sections)
    return with_crc(b"TM2N" + struct.pack("<II", 1, len(sections)) + bytes(12) + payload)


# ---- WAV -----------------------------------------------------------------------

def wav(fmt_tag=1, channels=1, rate=8000, bits=16, samples=None, data_size=None, block=None):
    samples = samples if samples is not None else b"".join(struct.pack("<h", (i * 997) % 20000 - 10000)
                                                            for i in range(800))
    block = block if block is not None else channels * bits // 8
    fmt = struct.pack("<HHIIHH", fmt_tag, channels, rate, (rate * max(block, 1)) & 0xFFFFFFFF, block, bits)
    body = b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(samples) if data_size is None else data_size) + samples
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body


def wav_cases():
    case("wav_zero_length", {"clip.wav": b""}, MFCC, "clip.wav: file is empty")
    case("wav_random_bytes", {"clip.wav": random_bytes(2048)}, MFCC, "not an audio file")
    case("wav_text_file", {"clip.wav": "this is not audio\n" * 20}, MFCC, "not an audio file")
    case("wav_truncated_header", {"clip.wav": wav()[:30]}, MFCC, "No 'data' chunk")
    case("wav_data_chunk_claims_more", {"clip.wav": wav(data_size=32000)}, MFCC, "truncated: read 800 of 16000 frames")
    case("wav_zero_channels", {"clip.wav": wav(channels=0, block=2)}, MFCC, "Channel count is zero")
    case("wav_rate_4_ghz", {"clip.wav": wav(rate=4_000_000_000 % (1 << 32))}, MFCC, "cannot decode")
    case("wav_no_samples", {"clip.wav": wav(samples=b"")}, MFCC, "no audio")
    case("wav_4gb_data_chunk", {"clip.wav": wav(data_size=0xFFFFFFF0)}, MFCC, "clip.wav")
    # The runtime's own reader (what the device runs), through tinym2net-bench --audio.
    case("wav_runtime_data_chunk_claims_more", {"clip.wav": wav(data_size=32000)}, RUNTIME_WAV,
         "the data chunk announces 32000 bytes")
    case("wav_runtime_8_bit", {"clip.wav": wav(bits=8)}, RUNTIME_WAV, "unsupported WAV encoding")
    case("wav_runtime_not_riff", {"clip.wav": random_bytes(100)}, RUNTIME_WAV, "no RIFF/WAVE header")
    case("wav_runtime_zero_channels", {"clip.wav": wav(channels=0, block=0)}, RUNTIME_WAV,
         "unsupported channel count 0")
    case("wav_runtime_lying_block_align", {"clip.wav": wav(block=6)}, RUNTIME_WAV, "block align 6")


# ---- .npy (feature cache), IDX (Fashion-MNIST): no CLI verb reads a user's file ----

def npy(header, payload=b"", version=b"\x01\x00"):
    header = header + " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY" + version + struct.pack("<H", len(header)) + header.encode() + payload


F4 = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }"


def npy_cases():
    case("npy_zero_length", {"x.npy": b""}, "npy {case}/x.npy", "not a .npy file")
    case("npy_random_bytes", {"x.npy": random_bytes(300)}, "npy {case}/x.npy", "not a .npy file")
    case("npy_version_2", {"x.npy": npy(F4 % "(1,)", b"\0" * 4, b"\x02\x00")}, "npy {case}/x.npy",
         "unsupported .npy format version 2.0")
    case("npy_header_longer_than_file", {"x.npy": npy(F4 % "(1,)")[:30]}, "npy {case}/x.npy",
         "truncated .npy header")
    case("npy_float64", {"x.npy": npy(F4.replace("<f4", "<f8") % "(2,)", b"\0" * 16)}, "npy {case}/x.npy",
         "unsupported dtype '<f8'")
    case("npy_fortran_order", {"x.npy": npy(F4.replace("False", "True") % "(2, 2)", b"\0" * 16)},
         "npy {case}/x.npy", "Fortran-order")
    case("npy_shape_overflows", {"x.npy": npy(F4 % "(4611686018427387904, 4611686018427387904)", b"\0" * 16)},
         "npy {case}/x.npy", "truncated .npy data")
    case("npy_dimension_too_large", {"x.npy": npy(F4 % "(99999999999999999999999,)")}, "npy {case}/x.npy",
         "dimension too large")
    case("npy_data_longer_than_shape", {"x.npy": npy(F4 % "(2,)", b"\0" * 12)}, "npy {case}/x.npy",
         "needs 8")
    case("npy_unterminated_header", {"x.npy": npy("{'descr': '<f4', 'shape': (3,", b"\0" * 12)},
         "npy {case}/x.npy", "x.npy")


def idx(magic, dims, payload=b""):
    return struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims) + payload


def idx_cases():
    case("idx_zero_length", {"images.idx": b""}, "idx-images {case}/images.idx", "truncated header")
    case("idx_wrong_magic", {"images.idx": idx(0x801, (2,), b"\0\0")}, "idx-images {case}/images.idx",
         "wrong magic number 0x00000801")
    case("idx_zero_dimension", {"images.idx": idx(0x803, (2, 0, 3))}, "idx-images {case}/images.idx",
         "dimension 1 has implausible size 0")
    case("idx_header_claims_16_gib", {"images.idx": idx(0x803, (1 << 16, 1 << 16, 4))},
         "idx-images {case}/images.idx", "header declares more than")
    case("idx_header_claims_1_gib_in_16_bytes", {"images.idx": idx(0x803, (1 << 14, 256, 256))},
         "idx-images {case}/images.idx", "truncated image data")
    case("idx_trailing_bytes", {"labels.idx": idx(0x801, (2,), b"\1\2\3")}, "idx-labels {case}/labels.idx",
         "unexpected bytes after the data")
    case("idx_gzip_corrupt", {"labels.idx.gz": gzip.compress(idx(0x801, (64,), bytes(range(64))), mtime=0)[:24]},
         "idx-labels {case}/labels.idx.gz", "labels.idx.gz")


# ---- power-meter logs ------------------------------------------------------------

def power_cases():
    case("power_zero_length", {"log.csv": b""}, POWER, "log.csv: empty power log")
    case("power_random_bytes", {"log.csv": random_bytes(512)}, POWER, "log.csv")
    case("power_header_only", {"log.csv": "time_s,power_W\n"}, POWER, "fewer than two usable samples")
    case("power_no_time_column", {"log.csv": "date,temperature\n1,2\n"}, POWER, "no time column")
    case("power_every_row_bad", {"log.csv": "time_s,power_W\n" + "x,y\n" * 10}, POWER, "column 'time_s': not a number 'x'")
    case("power_time_goes_backwards", {"log.csv": "time_s,power_W\n" + "".join(f"{10 - i},1.5\n" for i in range(10))},
         POWER, "time 9 does not increase")
    case("power_flat_log", {"log.csv": "time_s,power_W\n" + "".join(f"{i},1.5\n" for i in range(50))}, POWER,
         "no inference visible")
    case("power_huge_numbers", {"log.csv": "time_s,power_W\n" + "".join(f"{i},1e999\n" for i in range(20))},
         POWER, "column 'power_W': not a number '1e999'")
    # 1.5 W idle, 2 W busy, written in µW: read right (idle_w 1.5) or refused, never read as W.
    case("power_microwatts", {"log.csv": "time (s),power (uW)\n" + "".join(
        f"{i * 0.1:.1f},{2_000_000 if 10 <= i < 30 else 1_500_000}\n" for i in range(40))},
         "tinym2net power {case}/log.csv --json", [], exit_code=0, stdout='"idle_w": 1.5')


# ---- JSON inputs -----------------------------------------------------------------

PRESET = json.load(open(os.path.join(ROOT, "resources", "presets", "tinym2net-image-audio.json")))


def spec_cases():
    case("spec_zero_length", {"spec.json": b""}, TRAIN_SPEC, "spec.json: invalid JSON at byte 1")
    case("spec_truncated", {"spec.json": json.dumps(PRESET)[:40]}, TRAIN_SPEC, "invalid JSON")
    case("spec_is_an_array", {"spec.json": "[1, 2, 3]"}, TRAIN_SPEC, "model spec: expected a JSON object")
    case("spec_random_bytes", {"spec.json": random_bytes(200)}, TRAIN_SPEC, "spec.json: invalid JSON")
    case("spec_number_1e999", {"spec.json": '{"branches": [], "num_classes": 1e999}'}, TRAIN_SPEC,
         ["spec.json", "number overflow parsing '1e999'"])
    case("spec_fc_2_to_31_wide", {"spec.json": huge_fc_spec()},
         "tinym2net train --data {demo} --val 0 --spec {case}/spec.json --out {out}/run --cache-dir {out}/cache "
         "--workspace {out}/ws --epochs 1 --threads 1 --quiet", "fc")


def huge_fc_spec():
    spec = json.loads(json.dumps(PRESET))
    for branch in spec.get("branches", []):
        for layer in branch.get("layers", []):
            if layer.get("type") in ("linear", "fc", "fully_connected"):
                layer["out_features"] = 2 ** 31 - 1
    return json.dumps(spec)


def dataset_cases():
    audio = wav()
    def folder_dataset(sidecar):
        return {"dataset/dataset.json": sidecar, "dataset/audio/yes/a.wav": audio, "dataset/audio/no/b.wav": audio}
    case("dataset_spec_truncated", folder_dataset('{"modalities": [{"name": "au'), INSPECT,
         "dataset.json: invalid JSON")
    case("dataset_spec_modalities_not_array", folder_dataset('{"modalities": {}}'), INSPECT,
         "'modalities' must be an array")
    case("dataset_spec_unknown_kind", folder_dataset('{"modalities": [{"name": "audio", "kind": "video"}]}'),
         INSPECT, "kind")
    case("dataset_spec_n_mels_text",
         folder_dataset('{"modalities": [{"name": "audio", "kind": "audio", "mfcc": {"n_mels": "many"}}]}'),
         INSPECT, "mfcc.n_mels")
    case("dataset_spec_number_1e999",
         folder_dataset('{"modalities": [{"name": "audio", "kind": "audio", "mfcc": {"n_mels": 1e999}}]}'),
         INSPECT, ["dataset.json", "number overflow parsing '1e999'"])


def manifest_cases():
    audio = wav()
    case("manifest_zero_length", {"dataset/manifest.csv": b""}, INSPECT, "manifest.csv")
    case("manifest_random_bytes", {"dataset/manifest.csv": random_bytes(400)}, INSPECT, "dataset")
    header = "id,group,label,split,audio\n"
    case("manifest_no_id_column", {"dataset/manifest.csv": "audio,label\na.wav,yes\n", "dataset/a.wav": audio},
         INSPECT, "header lacks the required column 'id'")
    case("manifest_unterminated_quote", {"dataset/manifest.csv": header + 'x1,g,yes,train,"a.wav\n',
                                         "dataset/a.wav": audio}, INSPECT, "unterminated quoted field")
    case("manifest_no_modality_column", {"dataset/manifest.csv": "id,group,label,split\nx1,g,yes,train\n"},
         INSPECT, "no modality columns")
    case("manifest_every_file_missing", {"dataset/manifest.csv": header + "x1,g,yes,train,x.wav\nx2,g,no,,y.wav\n"},
         INSPECT, "x.wav:2: file not found")
    case("manifest_only_header", {"dataset/manifest.csv": header}, INSPECT, "no usable samples")


def ilp_cases():
    good = {"layers": [{"name": "conv1", "params": 1000, "macs": 50000, "omega": {"4": 3.0, "8": 0.5}},
                       {"name": "fc", "params": 4000, "macs": 4000, "omega": {"4": 1.0, "8": 0.2}}],
            "size_bytes_max": 6000}
    case("ilp_zero_length", {"problem.json": b""}, ILP, "problem.json: invalid JSON")
    case("ilp_truncated", {"problem.json": json.dumps(good)[:50]}, ILP, "invalid JSON")
    case("ilp_layers_not_array", {"problem.json": '{"layers": 3}'}, ILP, "layers: missing or not an array")
    missing = json.loads(json.dumps(good))
    del missing["layers"][1]["omega"]["8"]
    case("ilp_omega_missing_width", {"problem.json": json.dumps(missing)}, ILP, "layers[1].omega: missing width 8")
    negative = dict(good, size_bytes_max=-5)
    case("ilp_negative_budget", {"problem.json": json.dumps(negative)}, ILP, "size_bytes_max: must be a positive")
    huge = dict(good, layers=[dict(good["layers"][0], params=1e300)])
    case("ilp_params_1e300", {"problem.json": json.dumps(huge)}, ILP, "layers[0].params: expected a whole number")
    case("ilp_number_1e999", {"problem.json": json.dumps(good).replace("6000", "1e999")}, ILP,
         ["problem.json", "number overflow parsing '1e999'"])


def plan_cases():
    case("plan_not_json", {"plan.json": "{bits: 8"}, PLAN, "plan.json")
    case("plan_no_bits", {"plan.json": '{"mode": "int8"}'}, PLAN, "field 'bits'")
    case("plan_bits_3", {"plan.json": '{"bits": {"image.0.conv2d": 3}}'}, PLAN, "must be at 2, 4 or 8 bits")
    case("plan_bits_text", {"plan.json": '{"bits": {"image.0.conv2d": "8"}}'}, PLAN, "must be at 2, 4 or 8 bits")
    case("plan_bits_4294967300", {"plan.json": '{"bits": {"image.0.conv2d": 4294967300}}'}, PLAN, "must be at 2, 4 or 8 bits")
    case("plan_bits_empty", {"plan.json": '{"bits": {}}'}, PLAN, "field 'bits' is empty")


def latency_cases():
    case("latency_table_not_json", {"table.json": "{layers"}, LATENCY, "table.json")
    case("latency_table_layers_not_object", {"table.json": '{"unit": "us", "layers": []}'}, LATENCY, "layers")
    case("latency_table_negative_time", {"table.json": '{"unit": "us", "layers": {"x": {"8": -3}}}'}, LATENCY,
         "layers.x.8")


def main():
    tmn_cases()
    wav_cases()
    npy_cases()
    idx_cases()
    power_cases()
    spec_cases()
    dataset_cases()
    manifest_cases()
    ilp_cases()
    plan_cases()
    latency_cases()


if __name__ == "__main__":
    main()
