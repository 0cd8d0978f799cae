#!/usr/bin/env python3
"""What writing a large file costs the system, kept whole in the file cache
or synced and let go of as it grows (benches/HISTORY.md, session 24).

usage: benches/cache_write.py [--mb 500] [--rounds 2] [--idle 40] [--dir target]

Writes MB megabytes in 1 MB pieces, in three ways, round by round, after
IDLE seconds of rest each (on the benchmark machine, a virtual machine on
which memory left free for a while is slow to fill again, the rest is what
makes a page fresh):
  whole   write, then one fdatasync at the end
  synced  fdatasync every 32 MB (what cotag's early writeback does)
  dropped fdatasync every 32 MB, then posix_fadvise(DONTNEED) over the file
Prints wall and system seconds of each write. Linux only (posix_fadvise).
"""
import argparse
import os
import tempfile
import time


def write(path, mb, mode):
    piece = b"x" * (1 << 20)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        wall, cpu = time.monotonic(), os.times()
        for i in range(mb):
            os.write(fd, piece)
            if mode != "whole" and (i + 1) % 32 == 0:
                os.fdatasync(fd)
                if mode == "dropped":
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.fdatasync(fd)
        return time.monotonic() - wall, os.times().system - cpu.system
    finally:
        os.close(fd)
        os.unlink(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--idle", type=float, default=40)
    ap.add_argument("--dir", default="target")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    path = os.path.join(tempfile.mkdtemp(dir=args.dir), "cache_write.bin")
    for r in range(1, args.rounds + 1):
        for mode in ("whole", "synced", "dropped"):
            os.sync()
            time.sleep(args.idle)
            wall, system = write(path, args.mb, mode)
            print(f"round {r} {mode:8} {wall:6.2f} s wall {system:6.2f} s system", flush=True)
    os.rmdir(os.path.dirname(path))


if __name__ == "__main__":
    main()
