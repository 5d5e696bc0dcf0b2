"""Run by test_durability: loads two versions of one file into a store, forever, until it is killed."""

from __future__ import annotations

import sys
from pathlib import Path

from loaders import load_sources, source_for
from sozialgraph.config import DEFAULT_BASE_URI, Settings
from sozialgraph.store import open_store


def main() -> None:
    store_path, first, second = (Path(arg) for arg in sys.argv[1:4])
    store = open_store(Settings(store_path=store_path, base_uri=DEFAULT_BASE_URI))
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        for path in (second, first):
            load_sources(store, [source_for(path, name="spaces.csv")])


if __name__ == "__main__":
    main()
