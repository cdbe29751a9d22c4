#!/usr/bin/python3
"""Writes small fuzzing seeds for fuzz-onnx: the given ONNX files with the weights taken out of
their initializers (so they stay well-formed ModelProtos of a few KB, with the graph, shapes and
metadata intact), and a few metadata values as plain text.

    /usr/bin/python3 onnx_seeds.py OUTDIR MODEL.onnx...
Plain Python, no onnx module: a protobuf re-encoder for the few fields involved."""
import os
import sys


def varint(data, pos):
    value, shift = 0, 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def put_varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def fields(data):
    pos = 0
    while pos < len(data):
        start = pos
        tag, pos = varint(data, pos)
        wire = tag & 7
        if wire == 0:
            _, pos = varint(data, pos)
            yield tag >> 3, wire, data[start:pos], None
        elif wire == 1:
            pos += 8
            yield tag >> 3, wire, data[start:pos], None
        elif wire == 5:
            pos += 4
            yield tag >> 3, wire, data[start:pos], None
        elif wire == 2:
            length, body = varint(data, pos)
            pos = body + length
            yield tag >> 3, wire, data[start:pos], data[body:pos]
        else:
            raise ValueError("unexpected wire type")


def message(field, payload):
    return put_varint(field << 3 | 2) + put_varint(len(payload)) + payload


def strip_tensor(tensor):
    # TensorProto: keep dims, data_type, name; drop float_data (4), int32_data (5), string_data
    # (6), int64_data (7), raw_data (9), double_data (10), uint64_data (11)
    return b"".join(raw for f, _, raw, _ in fields(tensor) if f not in (4, 5, 6, 7, 9, 10, 11))


def strip_graph(graph):
    out = b""
    for f, _, raw, payload in fields(graph):
        out += message(5, strip_tensor(payload)) if f == 5 else raw
    return out


def strip_model(model):
    out = b""
    for f, _, raw, payload in fields(model):
        out += message(7, strip_graph(payload)) if f == 7 else raw
    return out


def main():
    outdir, models = sys.argv[1], sys.argv[2:]
    for path in models:
        with open(path, "rb") as f:
            small = strip_model(f.read())
        with open(os.path.join(outdir, os.path.basename(path)), "wb") as f:
            f.write(small)
    for i, text in enumerate(["{0: 'person', 1: \"dog's bowl\", 2: '\\u4eba'}", "[640, 640]", "(384, 640)", "32"]):
        with open(os.path.join(outdir, "literal%d.txt" % i), "w") as f:
            f.write(text)


main()
