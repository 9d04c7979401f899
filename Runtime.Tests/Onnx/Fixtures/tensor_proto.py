"""A float tensor as a serialized ONNX TensorProto (dims, data_type FLOAT, name, raw_data), the format
OnnxTensor.Load reads: what the fixture scripts beside this file write their inputs and expected outputs in."""
import struct


def varint(v):
    out = b""
    while True:
        b = v & 0x7F; v >>= 7
        if v: out += bytes([b | 0x80])
        else: return out + bytes([b])


def tensor(name, t):
    t = t.detach().contiguous().float()
    body = b"".join(b"\x08" + varint(d) for d in t.shape)      # dims
    body += b"\x10\x01"                                          # data_type FLOAT
    nb = name.encode(); body += b"\x42" + varint(len(nb)) + nb   # name (8)
    raw = struct.pack("<%df" % t.numel(), *t.flatten().tolist())
    body += b"\x4a" + varint(len(raw)) + raw                     # raw_data (9)
    return body
