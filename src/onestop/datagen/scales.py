"""How much each scale generates. ``l`` is a province with a year of data
(issue 7); ``m`` and ``s`` are a tenth and a hundredth of it; ``xs`` is for tests."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Scale:
    name: str
    individuals: int
    enterprises: int
    institutions: int
    offerings: int
    stations: int
    experts: int
    demands: int
    orders: int
    evaluations: int
    complaints: int
    # Days back from now over which creation times spread.
    days: int = 365

    def __post_init__(self) -> None:
        if self.evaluations > self.orders:
            raise ValueError("more evaluations than orders")


SCALES = {
    "xs": Scale("xs", 30, 40, 6, 30, 4, 5, 40, 300, 80, 12, days=60),
    "s": Scale("s", 1_000, 2_000, 50, 500, 10, 20, 1_000, 10_000, 3_000, 50),
    "m": Scale("m", 10_000, 20_000, 500, 5_000, 50, 200, 10_000, 100_000, 30_000, 500),
    "l": Scale(
        "l", 100_000, 200_000, 5_000, 50_000, 500, 2_000, 100_000, 1_000_000, 300_000, 5_000
    ),
}
