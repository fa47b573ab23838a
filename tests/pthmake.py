# SPDX-License-Identifier: GPL-3.0-or-later
"""PyTorch checkpoints written without torch, for the loader's tests: the
pickles torch.save writes (legacy format and zip format), with tensors
that are views (offset, shape) of float32 storages given as bytes, so a
test can make files torch would never write (one storage under many keys).

  save(path, storages, tensors, zipped)
    storages: {key: bytes (float32 little endian)}
    tensors:  {name: (key, offset in elements, shape)}
"""
import io
import pickle
import struct
import sys
import types
import zipfile


def _fake_torch():
    """The globals the pickles name (torch.FloatStorage,
    torch._utils._rebuild_tensor_v2), as stand-ins pickle can look up."""
    torch = types.ModuleType("torch")
    utils = types.ModuleType("torch._utils")

    class FloatStorage:
        pass

    def _rebuild_tensor_v2(*args):
        raise RuntimeError("stand-in only")

    FloatStorage.__module__ = "torch"
    FloatStorage.__qualname__ = "FloatStorage"
    _rebuild_tensor_v2.__module__ = "torch._utils"
    _rebuild_tensor_v2.__qualname__ = "_rebuild_tensor_v2"
    torch.FloatStorage = FloatStorage
    torch._utils = utils
    utils._rebuild_tensor_v2 = _rebuild_tensor_v2
    sys.modules.setdefault("torch", torch)
    sys.modules.setdefault("torch._utils", utils)
    return sys.modules["torch"].FloatStorage, sys.modules["torch._utils"]._rebuild_tensor_v2


class _Storage:
    def __init__(self, key, numel):
        self.key, self.numel = key, numel


class _Tensor:
    def __init__(self, storage, offset, shape, rebuild):
        self.storage, self.offset, self.shape, self.rebuild = storage, offset, shape, rebuild

    def __reduce__(self):
        stride, s = [], 1
        for d in reversed(self.shape):
            stride.insert(0, s)
            s *= d
        return (self.rebuild, (self.storage, self.offset, tuple(self.shape), tuple(stride),
                               False, {}))


class _Pickler(pickle.Pickler):
    def __init__(self, f, storage_type):
        super().__init__(f, protocol=2)
        self.storage_type = storage_type

    def persistent_id(self, obj):
        if isinstance(obj, _Storage):
            return ("storage", self.storage_type, obj.key, "cpu", obj.numel)
        return None


def save(path, storages, tensors, zipped=False):
    storage_type, rebuild = _fake_torch()
    st = {k: _Storage(k, len(v) // 4) for k, v in storages.items()}
    sd = {name: _Tensor(st[key], off, shape, rebuild)
          for name, (key, off, shape) in tensors.items()}
    body = io.BytesIO()
    _Pickler(body, storage_type).dump(sd)
    if zipped:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
            z.writestr("archive/data.pkl", body.getvalue())
            for k, v in storages.items():
                z.writestr("archive/data/" + k, v)
        return
    with open(path, "wb") as f:
        for v in (0x1950a86a20f9469cfc6c, 1001,
                  {"protocol_version": 1001, "little_endian": True}):
            pickle.dump(v, f, protocol=2)
        f.write(body.getvalue())
        pickle.dump(list(storages), f, protocol=2)
        for v in storages.values():
            f.write(struct.pack("<q", len(v) // 4) + v)
