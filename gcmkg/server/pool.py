"""A small pool of worker processes; a query that outlives its timeout has its worker killed and replaced.

Killing the process is the only way to stop pyoxigraph's work, and it leaves the other workers
answering. Workers start with the 'spawn' method, as forking a threaded server is unsafe.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing as mp
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from gcmkg.errors import QueryError


class QueryTimeout(QueryError):
    """A query ran longer than the server's timeout and was stopped."""


@dataclass(eq=False)
class _Process:
    process: mp.process.BaseProcess
    conn: object

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


def _wait(conn, timeout: float):
    if not conn.poll(timeout):
        return False, None
    return True, conn.recv()


class WorkerPool:
    def __init__(self, store: str, size: int = 2, *, writable: bool = False):
        self.store, self.size, self.writable = store, max(1, size), writable
        self._context = mp.get_context("spawn")
        self._idle: asyncio.Queue[_Process] | None = None
        self._threads = ThreadPoolExecutor(max_workers=self.size * 2 + 2, thread_name_prefix="gcmkg-pool")
        self._all: set[_Process] = set()

    def _spawn(self) -> _Process:
        from gcmkg.server.worker import main

        parent, child = self._context.Pipe()
        process = self._context.Process(target=main, args=(child, self.store, self.writable), daemon=True)
        process.start()
        child.close()
        worker = _Process(process, parent)
        self._all.add(worker)
        return worker

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        for _ in range(self.size):
            self._idle.put_nowait(self._spawn())

    async def run(self, request: dict, timeout: float):
        """The worker's (status, content type, body, headers); QueryTimeout after `timeout` seconds."""
        if self._idle is None:
            await self.start()
        loop = asyncio.get_running_loop()
        worker = await self._idle.get()
        healthy = False
        try:
            worker.conn.send(request)
            done, response = await loop.run_in_executor(self._threads, _wait, worker.conn, timeout)
            if not done:
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            healthy = True
            return response
        except (EOFError, OSError, BrokenPipeError):
            raise QueryError("the query worker stopped unexpectedly") from None
        finally:
            if healthy:
                self._idle.put_nowait(worker)
            else:
                self._all.discard(worker)
                loop.run_in_executor(self._threads, worker.stop)
                self._idle.put_nowait(self._spawn())

    def close(self) -> None:
        for worker in list(self._all):
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            worker.stop()
        self._all.clear()
        self._threads.shutdown(wait=False)
