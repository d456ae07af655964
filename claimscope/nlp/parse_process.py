"""spaCy's parse in a second process, for runs of many articles.

The parse holds Python's GIL for most of its time, so in the analysing process it cannot overlap with
the analysers that run after it (only the transformer pass, which runs outside the GIL, does). In a
process of its own it runs on another core and sends the parses back as Doc bytes (about 6 ms per
article to read back). The worker is a plain ``python -m claimscope.nlp.parse_process MODEL`` subprocess
speaking length-prefixed pickles over its standard streams: multiprocessing's ``spawn`` would re-run
the caller's main script in the child, and ``fork`` would copy onnxruntime's running threads. It
loads its own copy of the spaCy model (about 150 MB).
"""
from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, BinaryIO

READY = "ready"
_LENGTH = struct.Struct("<Q")


def _send(stream: BinaryIO, value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def _receive(stream: BinaryIO) -> Any:
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        raise EOFError("the parser process closed its output")
    size = _LENGTH.unpack(header)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the parser process closed its output")
    return pickle.loads(data)


class ParserProcess:
    """A worker process parsing batches of texts with the named spaCy model, one request at a time, in order."""

    def __init__(self, model: str):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}  # the same claimscope as this process
        self.process = subprocess.Popen([sys.executable, "-m", "claimscope.nlp.parse_process", model], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimscope-parser")
        self.started = self.thread.submit(self._expect_ready)
        self.broken = False

    def _expect_ready(self) -> None:
        if _receive(self.process.stdout) != READY:
            raise RuntimeError("the parser process did not start")

    def ready(self) -> bool:
        """True once the model has loaded (never, if it could not)."""
        return not self.broken and self.started.done() and self.started.exception() is None

    def submit(self, texts: list[str]) -> Future:
        """The parses of ``texts`` as Doc bytes (spaCy's Doc.from_bytes reads them), in order; None when the
        batch could not be parsed (the process goes on); an error when the process has died."""
        return self.thread.submit(self._parse, texts)

    def _parse(self, texts: list[str]) -> list[bytes]:
        _send(self.process.stdin, texts)
        return _receive(self.process.stdout)

    def close(self) -> None:
        self.thread.shutdown(wait=False, cancel_futures=True)
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


def main() -> None:
    from .parsers import load_pipeline, parse_texts

    nlp = load_pipeline(sys.argv[1])
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    _send(replies, READY)
    while True:
        try:
            texts = _receive(requests)
        except EOFError:
            return
        try:
            # doc.tensor (the tagger's internal token vectors) is left out: nothing downstream reads it, and it is most of the bytes
            parsed = [doc.to_bytes(exclude=["tensor", "user_data"]) for doc in parse_texts(nlp, texts, len(texts))]
        except Exception:  # noqa: BLE001 - the caller parses this batch itself and reports the article that fails
            parsed = None
        _send(replies, parsed)


if __name__ == "__main__":
    main()
