#!/usr/bin/python3
"""Writes Data/fixture.safetensors with the format's own rules (8-byte little-endian header length, JSON header,
raw little-endian data), independently of ConvGen's reader: what safetensors.torch.save_file writes for a state_dict.

conv1.weight  F32 [2, 1, 3, 3]  value i*0.25 - 1 for flat index i
conv1.bias    F32 [2]           0.5, -0.5
head.scale    F64 [3]           1, 2, 3     (a dtype ConvGen must refuse by name)
plus __metadata__ {"format": "pt"}, as PyTorch writes it.
"""
import json, os, struct

here = os.path.dirname(os.path.abspath(__file__))
tensors = [
    ("conv1.weight", "F32", [2, 1, 3, 3], struct.pack("<18f", *[i * 0.25 - 1 for i in range(18)])),
    ("conv1.bias", "F32", [2], struct.pack("<2f", 0.5, -0.5)),
    ("head.scale", "F64", [3], struct.pack("<3d", 1, 2, 3)),
]
header, offset = {"__metadata__": {"format": "pt"}}, 0
for name, dtype, shape, data in tensors:
    header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
    offset += len(data)
text = json.dumps(header).encode()
with open(os.path.join(here, "fixture.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(text)))
    f.write(text)
    for _, _, _, data in tensors:
        f.write(data)
