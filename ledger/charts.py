"""A line chart of money over days, drawn as SVG by the template: the numbers are computed
here (coordinates, axis ticks, labels in the active language), so no chart library and no
JavaScript are needed."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format

from accounts.display import money

# Round steps for the money axis: 1, 2 or 5 times a power of ten.
_STEP_FACTORS = (1, 2, 5)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int  # where the plot starts, after the money labels
    bottom: int  # where the plot ends, above the date labels
    line: str  # points of the <polyline>
    area: str  # the <path> under the line
    y_ticks: list[Tick]
    x_ticks: list[Tick]


def _step(span: Decimal, count: int) -> Decimal:
    """The smallest round step that covers `span` in at most `count` steps."""
    rough = span / count if span > 0 else Decimal(1)
    power = Decimal(10) ** (rough.adjusted())
    for factor in (*_STEP_FACTORS, 10):
        if power * factor >= rough:
            return power * factor
    return power * 10


def line_chart(
    series: list[tuple[date, Decimal]],
    *,
    currency_code: str,
    width: int = 640,
    height: int = 260,
    left: int = 96,
    bottom_margin: int = 28,
) -> LineChart:
    """Lay out `series` (one value per day, oldest first) on a width × height canvas."""
    values = [value for _day, value in series]
    low = min(Decimal(0), *values)
    high = max(Decimal(0), *values)
    step = _step(high - low, 4)
    floor = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    ceiling = max((high / step).to_integral_value(rounding="ROUND_CEILING") * step, floor + step)
    top, bottom, right = 12, height - bottom_margin, width - 12

    def y(value: Decimal) -> float:
        return round(bottom - float((value - floor) / (ceiling - floor)) * (bottom - top), 1)

    def x(index: int) -> float:
        return round(left + (right - left) * index / max(len(series) - 1, 1), 1)

    points = [f"{x(index)},{y(value)}" for index, value in enumerate(values)]
    y_ticks = []
    level = floor
    while level <= ceiling:
        y_ticks.append(Tick(y(level), money(level, currency_code, places=0)))
        level += step
    every = max(len(series) // 6, 1)
    x_ticks = [
        Tick(x(index), date_format(day, "j M"))
        for index, (day, _value) in enumerate(series)
        if index % every == 0
    ]
    area = f"M{x(0)},{y(floor)} L" + " L".join(points) + f" L{x(len(series) - 1)},{y(floor)} Z"
    return LineChart(width, height, left, bottom, " ".join(points), area, y_ticks, x_ticks)
