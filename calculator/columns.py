"""N households as numpy arrays by column name, with their row labels: what the engine and the checks read.

The batch turns its pandas frame into Columns at the edge (no copy); a single quote builds them from the CLI or a
form directly, so the counter runs the batch's code without importing pandas.
"""
from __future__ import annotations

import numpy as np


class Columns:
    """`columns[name]` is a numpy array of N values; `index[pos]` names row pos in an error (the frame's label)."""

    __slots__ = ("arrays", "frame", "index")

    def __init__(self, arrays: dict[str, np.ndarray], index=None, frame=None):
        self.arrays, self.frame = arrays, frame
        self.index = np.arange(len(next(iter(arrays.values())))) if index is None else index

    @classmethod
    def of_frame(cls, frame) -> Columns:
        """A pandas frame's columns, each turned into an array when first read (a view where pandas holds numpy;
        columns nobody reads, such as text held by pyarrow, are never converted)."""
        return cls({}, frame.index, frame)

    def __getitem__(self, name: str) -> np.ndarray:
        values = self.arrays.get(name)
        if values is None:
            if self.frame is None:
                raise KeyError(name)
            values = self.arrays[name] = self.frame[name].to_numpy()
        return values

    def __contains__(self, name: str) -> bool:
        return name in self.arrays or (self.frame is not None and name in self.frame.columns)

    def __len__(self) -> int:
        return len(self.index)

    def without(self, labels: set) -> np.ndarray:
        """Which rows to keep: those whose label is not in `labels` (every row of a repeated label goes)."""
        return np.fromiter((label not in labels for label in self.index), dtype=bool, count=len(self.index))

    def rows(self, keep: np.ndarray) -> Columns:
        """The rows where `keep` holds."""
        if self.frame is not None:
            return Columns.of_frame(self.frame.loc[keep])
        return Columns({name: values[keep] for name, values in self.arrays.items()}, self.index[keep])
