"""The simulated shop: customers, catalogue, campaigns and orders evolving day by day.

Only clean, typed records come out of here (datetimes in naive UTC, Decimals,
bools); how they are spelled in files and which ones are broken is decided
later. State that outlives a day is kept small (orders hold their planned
lifecycle as packed integers) so scale 100 runs for many days in bounded
memory, and each day's big streams (order lines, web events, inventory) are
produced lazily while they are written.
"""

from __future__ import annotations

import random
import unicodedata
from bisect import bisect, bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from itertools import accumulate
from typing import Any, NamedTuple

from ecom_platform.generator import catalog
from ecom_platform.generator.rng import SeededRandom

Record = dict[str, Any]

EPOCH = datetime(1970, 1, 1)
US_PER_S = 1_000_000
DAY_S = 86_400
DAY_US = DAY_S * US_PER_S
HOUR_S = 3_600

ORDERS_PER_DAY_AT_SCALE_1 = 1_000
WEB_EVENTS_PER_ORDER = 10
WEEKDAY_DEMAND = (0.95, 0.95, 0.95, 1.0, 1.05, 1.1, 1.0)  # Monday first; averages ~1


class Weighted:
    """A weighted choice with precomputed cumulative weights (called millions of times).

    `pick` draws what `rng.choices(values, cum_weights=cumulative)[0]` draws, by the
    same arithmetic, without building a list and checking the weights every time.
    """

    def __init__(self, pairs: Iterable[tuple[Any, int]]) -> None:
        pairs = tuple(pairs)
        self.values = tuple(value for value, _ in pairs)
        self.cumulative = tuple(accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1] + 0.0
        self.last = len(self.values) - 1

    def pick(self, rng: random.Random) -> Any:
        return self.values[bisect(self.cumulative, rng.random() * self.total, 0, self.last)]


COUNTRY = Weighted((code, weight) for code, (weight, _) in catalog.COUNTRIES.items())
LOYALTY = Weighted(catalog.LOYALTY_TIERS)
ORDER_CHANNEL = Weighted(catalog.ORDER_CHANNELS)
PAYMENT_METHOD = Weighted(catalog.PAYMENT_METHODS)
DEVICE = Weighted(catalog.DEVICES)
APP_DEVICE = Weighted(catalog.APP_DEVICES)
LINES_PER_ORDER = Weighted(((1, 45), (2, 25), (3, 15), (4, 10), (5, 5)))
QUANTITY = Weighted(((1, 70), (2, 20), (3, 7), (4, 3)))


def to_datetime(us: int) -> datetime:
    return EPOCH + timedelta(0, 0, us)  # positional: twice as fast as microseconds=us


def day_number(day: date) -> int:
    return (day - EPOCH.date()).days


def sub_second_us(rng: random.Random) -> int:
    """Most source systems write whole seconds; some keep milli- or microseconds."""
    draw = rng.random()
    if draw < 0.6:
        return 0
    if draw < 0.85:
        return rng.randrange(1_000) * 1_000
    return rng.randrange(US_PER_S)


def instant_us(rng: random.Random, start_us: int, span_s: int) -> int:
    """A moment in [start, start + span) as microseconds since the epoch."""
    return start_us + rng.randrange(span_s) * US_PER_S + sub_second_us(rng)


def later_us(rng: random.Random, after_us: int, min_s: int, max_s: int) -> int:
    """A moment strictly after `after_us`, between min_s and max_s seconds later."""
    return after_us + rng.randint(min_s, max_s) * US_PER_S + rng.randrange(1, 1_000) * 1_000


def cents(amount: int) -> Decimal:
    return Decimal(amount).scaleb(-2)


def random_id(rng: random.Random) -> str:
    """A UUID-shaped id drawn from the seeded generator (uuid4() would break determinism)."""
    text = rng.getrandbits(128).to_bytes(16, "big").hex()  # faster than f"{bits:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


@cache  # names come from a small catalogue; normalising them again each time is waste
def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def around(rng: random.Random, mean: float) -> int:
    """A count near `mean` (+-10%), never negative."""
    return max(0, round(mean * rng.uniform(0.9, 1.1)))


@dataclass(slots=True)
class Customer:
    customer_id: str
    email: str
    first_name: str | None
    last_name: str | None
    country_code: str
    city: str | None
    loyalty_tier: str
    signup_ts: datetime
    updated_at: datetime


@dataclass(slots=True)
class Product:
    product_id: str
    product_name: str
    category: str
    subcategory: str | None
    brand: str | None
    price_cents: int
    is_active: bool
    updated_at: datetime

    def record(self) -> Record:
        return {
            "product_id": self.product_id,
            "product_name": self.product_name,
            "category": self.category,
            "subcategory": self.subcategory,
            "brand": self.brand,
            "unit_price": cents(self.price_cents),
            "is_active": self.is_active,
            "updated_at": self.updated_at,
        }


@dataclass(slots=True)
class Campaign:
    campaign_id: str
    campaign_name: str
    channel: str
    start_date: date
    end_date: date | None
    budget: Decimal | None
    updated_at: datetime

    def is_running(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


# Lifecycle steps of an order, its payment and its shipment: (entity, status).
STEPS: tuple[tuple[str, str], ...] = (
    ("orders", "placed"),
    ("orders", "paid"),
    ("orders", "shipped"),
    ("orders", "delivered"),
    ("orders", "cancelled"),
    ("orders", "returned"),
    ("payments", "authorized"),
    ("payments", "captured"),
    ("payments", "failed"),
    ("payments", "refunded"),
    ("shipments", "pending"),
    ("shipments", "shipped"),
    ("shipments", "in_transit"),
    ("shipments", "delivered"),
    ("shipments", "returned"),
    ("shipments", "lost"),
)
STEP = {step: index for index, step in enumerate(STEPS)}
STEP_BITS = 5  # events are packed as (microseconds << STEP_BITS) | step index
STEP_MASK = (1 << STEP_BITS) - 1
PAYMENT_STEPS = frozenset(index for index, (entity, _) in enumerate(STEPS) if entity == "payments")


def pack_event(us: int, entity: str, status: str) -> int:
    return (us << STEP_BITS) | STEP[(entity, status)]


def unpack_event(event: int) -> tuple[int, str, str]:
    entity, status = STEPS[event & STEP_MASK]
    return event >> STEP_BITS, entity, status


def event_status(event: int) -> str:
    return STEPS[event & STEP_MASK][1]


@dataclass(slots=True)
class Order:
    """An order and its planned future: every status change, already timed, packed as ints."""

    seq: int
    customer_id: str
    order_ts_us: int
    channel: str
    campaign_id: str | None
    shipping_cents: int
    amount_cents: int
    method: str
    carrier: str
    events: tuple[int, ...]

    @property
    def order_id(self) -> str:
        return f"ORD-{self.seq:09d}"

    def first_us(self, entity: str, status: str) -> int | None:
        step = STEP[(entity, status)]
        for event in self.events:
            if event & STEP_MASK == step:
                return event >> STEP_BITS
        return None

    def payment_ts_us(self) -> int:
        """When the payment was first attempted (its first version, whatever the outcome)."""
        return next(e >> STEP_BITS for e in self.events if e & STEP_MASK in PAYMENT_STEPS)


class OrderLine(NamedTuple):  # a tuple: cheaper to build than a frozen dataclass
    line_number: int
    product_id: str
    quantity: int
    price_cents: int
    discount_cents: int


@dataclass
class Batch:
    """One entity's records for one day: `count` is exact, except an estimate for web events."""

    count: int
    rows: Iterable[Record]


class Business:
    """The shop's state; `simulate_day` advances it by one day.

    Each day's batches must be consumed before the next day is simulated: the
    lazy streams read the shared state as it is on their day.
    """

    def __init__(self, seed: int, scale: float) -> None:
        self.seed = seed
        self.scale = scale
        self.rng = SeededRandom(f"{seed}/business")
        self.customers: list[Customer] = []
        self.customer_ids: list[str] = []
        self.held_customers: list[Record] = []
        self.signed_up_today: list[tuple[str, int]] = []  # (customer_id, signup microseconds)
        self.products: list[Product] = []
        self.products_delivered: list[str] = []
        self.held_products: list[Product] = []
        self.launched_today: list[Product] = []
        self.campaigns: list[Campaign] = []
        self.order_buckets: dict[int, list[Order]] = defaultdict(list)
        self.next_order_seq = 1
        self.stock: dict[tuple[str, str], int] = {}
        self.warehouses = catalog.WAREHOUSES[: warehouse_count(scale)]

    def stream_rng(self, name: str, day: date) -> random.Random:
        """A generator of its own for a lazy stream, so its pace cannot disturb the others."""
        return SeededRandom(f"{self.seed}/{name}/{day.isoformat()}")

    def simulate_day(self, day: date, first: bool) -> dict[str, Batch]:
        start_us = day_number(day) * DAY_US
        customers = self.customer_versions(start_us, first)
        products = self.product_versions(start_us, first)
        campaigns = self.campaign_versions(day, start_us, first)
        placed = self.place_orders(day, start_us)
        orders, payments, shipments = self.lifecycle_rows(day_number(day))
        return {
            "customers": Batch(len(customers), customers),
            "products": Batch(len(products), products),
            "campaigns": Batch(len(campaigns), campaigns),
            "orders": Batch(len(orders), map(order_record, orders)),
            "order_items": Batch(
                sum(len(lines) for _, lines in placed), order_item_records(placed)
            ),
            "payments": Batch(len(payments), map(payment_record, payments)),
            "shipments": Batch(len(shipments), map(shipment_record, shipments)),
            "web_events": Batch(
                WEB_EVENTS_PER_ORDER * len(placed),
                self.web_events(day, start_us, placed, self.stream_rng("web", day)),
            ),
            "inventory": self.inventory_snapshot(day),
        }

    # customers -----------------------------------------------------------------------------

    def customer_versions(self, start_us: int, first: bool) -> list[Record]:
        rng = self.rng
        versions, self.held_customers = self.held_customers, []
        self.signed_up_today = []
        changeable = len(self.customers)
        if first:
            for _ in range(round(1_500 * self.scale) or 1):
                signup = instant_us(rng, start_us - 3 * 365 * DAY_US, 3 * 365 * DAY_S)
                updated = instant_us(rng, signup, max(1, (start_us - signup) // US_PER_S))
                versions.append(self.new_customer(signup, updated))
        for _ in range(around(rng, 60 * self.scale)):
            signup = instant_us(rng, start_us, DAY_S)
            record = self.new_customer(signup, signup)
            self.signed_up_today.append((record["customer_id"], signup))
            # A few sign-ups miss today's extract: their orders are orphans until tomorrow.
            (self.held_customers if rng.random() < 0.1 else versions).append(record)
        if changeable:
            count = min(changeable, around(rng, 30 * self.scale))
            for index in sorted(rng.sample(range(changeable), count)):
                versions.append(self.change_customer(self.customers[index], start_us))
        return versions

    def new_customer(self, signup_us: int, updated_us: int) -> Record:
        rng = self.rng
        country = COUNTRY.pick(rng)
        first_name = rng.choice(catalog.FIRST_NAMES)
        last_name = rng.choice(catalog.LAST_NAMES)
        customer = Customer(
            customer_id=f"CUST-{len(self.customers) + 1:07d}",
            email=make_email(rng, first_name, last_name),
            first_name=None if rng.random() < 0.03 else first_name,
            last_name=None if rng.random() < 0.03 else last_name,
            country_code=country,
            city=None if rng.random() < 0.05 else rng.choice(catalog.COUNTRIES[country][1]),
            loyalty_tier=LOYALTY.pick(rng),
            signup_ts=to_datetime(signup_us),
            updated_at=to_datetime(updated_us),
        )
        self.customers.append(customer)
        self.customer_ids.append(customer.customer_id)
        return customer_record(customer)

    def change_customer(self, customer: Customer, start_us: int) -> Record:
        rng = self.rng
        change = rng.random()
        if change < 0.4:
            customer.loyalty_tier = LOYALTY.pick(rng)
        elif change < 0.7:
            customer.city = rng.choice(catalog.COUNTRIES[customer.country_code][1])
        elif change < 0.9:
            customer.email = make_email(rng, customer.first_name or "x", customer.last_name or "y")
        else:
            customer.last_name = rng.choice(catalog.LAST_NAMES)
        customer.updated_at = to_datetime(instant_us(rng, start_us, DAY_S))
        return customer_record(customer)

    # products ------------------------------------------------------------------------------

    def product_versions(self, start_us: int, first: bool) -> list[Record]:
        rng = self.rng
        released, self.held_products = self.held_products, []
        self.launched_today = []
        versions = [product.record() for product in released]
        self.products_delivered.extend(product.product_id for product in released)
        changeable = len(self.products)
        if first:
            for _ in range(catalogue_size(self.scale)):
                updated = instant_us(rng, start_us - 365 * DAY_US, 365 * DAY_S)
                versions.append(self.deliver_product(self.new_product(updated)))
        for _ in range(around(rng, catalogue_size(self.scale) * 0.004)):
            product = self.new_product(instant_us(rng, start_us, DAY_S))
            self.launched_today.append(product)
            if rng.random() < 0.2:
                self.held_products.append(product)  # orders may name it a day early
            else:
                versions.append(self.deliver_product(product))
        if changeable:
            count = min(changeable, around(rng, changeable * 0.01))
            for index in sorted(rng.sample(range(changeable), count)):
                versions.append(self.change_product(self.products[index], start_us))
        return versions

    def new_product(self, updated_us: int) -> Product:
        rng = self.rng
        category = rng.choice(tuple(catalog.CATEGORIES))
        (low, high), subcategories = catalog.CATEGORIES[category]
        subcategory = rng.choice(subcategories)
        brand = rng.choice(catalog.BRANDS)
        if rng.random() < 0.01:
            name = rng.choice(catalog.ODD_PRODUCT_NAMES)
        else:
            name = f"{brand} {rng.choice(catalog.ADJECTIVES)} {subcategory.rstrip('s')}"
        product = Product(
            product_id=f"PRD-{len(self.products) + 1:06d}",
            product_name=name,
            category=category,
            subcategory=None if rng.random() < 0.05 else subcategory,
            brand=None if rng.random() < 0.05 else brand,
            price_cents=rng.randint(low // 100, high // 100) * 100 + rng.choice((0, 49, 90, 99)),
            is_active=True,
            updated_at=to_datetime(updated_us),
        )
        self.products.append(product)
        return product

    def deliver_product(self, product: Product) -> Record:
        self.products_delivered.append(product.product_id)
        return product.record()

    def change_product(self, product: Product, start_us: int) -> Record:
        rng = self.rng
        if rng.random() < 0.15:
            product.is_active = not product.is_active
        else:
            product.price_cents = max(99, round(product.price_cents * rng.uniform(0.85, 1.15)))
        product.updated_at = to_datetime(instant_us(rng, start_us, DAY_S))
        return product.record()

    def pick_product(self) -> Product:
        """An active product; an inactive draw is retried a few times, as shoppers skip them.

        New launches sell a little from their first day, even before the catalogue
        extract carries them.
        """
        if self.launched_today and self.rng.random() < 0.01:
            return self.rng.choice(self.launched_today)
        for _ in range(5):
            product = self.rng.choice(self.products)
            if product.is_active:
                break
        return product

    # campaigns -----------------------------------------------------------------------------

    def campaign_versions(self, day: date, start_us: int, first: bool) -> list[Record]:
        rng = self.rng
        versions = []
        if first:
            for _ in range(8):
                updated = instant_us(rng, start_us - 30 * DAY_US, 30 * DAY_S)
                starts = day + timedelta(days=rng.randint(-45, 10))
                versions.append(self.new_campaign(starts, updated))
        if rng.random() < 0.25:
            starts = day + timedelta(days=rng.randint(0, 14))
            versions.append(self.new_campaign(starts, instant_us(rng, start_us, DAY_S)))
        if not first and rng.random() < 0.3:
            versions.append(self.change_campaign(rng.choice(self.campaigns), day, start_us))
        return versions

    def new_campaign(self, starts: date, updated_us: int) -> Record:
        rng = self.rng
        campaign = Campaign(
            campaign_id=f"CMP-{len(self.campaigns) + 1:04d}",
            campaign_name=f"{rng.choice(catalog.CAMPAIGN_THEMES)} {starts.year}",
            channel=rng.choice(catalog.CAMPAIGN_CHANNELS),
            start_date=starts,
            end_date=None if rng.random() < 0.3 else starts + timedelta(days=rng.randint(3, 60)),
            budget=None if rng.random() < 0.1 else cents(rng.randint(50, 2_000) * 10_000),
            updated_at=to_datetime(updated_us),
        )
        self.campaigns.append(campaign)
        return campaign_record(campaign)

    def change_campaign(self, campaign: Campaign, day: date, start_us: int) -> Record:
        rng = self.rng
        if campaign.end_date is None or rng.random() < 0.5:
            campaign.end_date = max(campaign.start_date, day) + timedelta(days=rng.randint(0, 30))
        else:
            campaign.budget = cents(rng.randint(50, 3_000) * 10_000)
        campaign.updated_at = to_datetime(instant_us(rng, start_us, DAY_S))
        return campaign_record(campaign)

    # orders --------------------------------------------------------------------------------

    def place_orders(self, day: date, start_us: int) -> list[tuple[Order, list[OrderLine]]]:
        rng = self.rng
        mean = ORDERS_PER_DAY_AT_SCALE_1 * self.scale * WEEKDAY_DEMAND[day.weekday()]
        running = [c.campaign_id for c in self.campaigns if c.is_running(day)]
        count = around(rng, mean) or 1
        # Half of today's sign-ups order right away; everyone else is a returning customer.
        first_orders = [pair for pair in self.signed_up_today if rng.random() < 0.5][:count]
        buyers = first_orders + [None] * (count - len(first_orders))
        placed = []
        for buyer in buyers:
            lines = self.order_lines()
            order = self.new_order(start_us, lines, running, buyer)
            for bucket in sorted({(e >> STEP_BITS) // DAY_US for e in order.events}):
                self.order_buckets[bucket].append(order)
            placed.append((order, lines))
        placed.sort(key=lambda pair: pair[0].order_ts_us)
        return placed

    def order_lines(self) -> list[OrderLine]:
        rng = self.rng
        lines = []
        for line_number in range(1, LINES_PER_ORDER.pick(rng) + 1):
            product = self.pick_product()
            quantity = QUANTITY.pick(rng)
            gross = quantity * product.price_cents
            discount = 0 if rng.random() < 0.7 else rng.randint(0, gross // 4)
            lines.append(
                OrderLine(line_number, product.product_id, quantity, product.price_cents, discount)
            )
        return lines

    def new_order(
        self,
        start_us: int,
        lines: list[OrderLine],
        campaigns: list[str],
        buyer: tuple[str, int] | None,
    ) -> Order:
        """An order by a returning customer, or by `buyer` (id, sign-up time) after signing up."""
        rng = self.rng
        seq = self.next_order_seq
        self.next_order_seq += 1
        if buyer is None:
            customer_id = rng.choice(self.customer_ids)
            order_ts = instant_us(rng, start_us, DAY_S)
        else:
            customer_id, signup_us = buyer
            order_ts = instant_us(
                rng, signup_us, max(1, (start_us + DAY_US - signup_us) // US_PER_S)
            )
        goods = sum(line.quantity * line.price_cents - line.discount_cents for line in lines)
        shipping = 0 if goods >= 5_000 else rng.choice(catalog.SHIPPING_FEES_CENTS)
        return Order(
            seq=seq,
            customer_id=customer_id,
            order_ts_us=order_ts,
            channel=ORDER_CHANNEL.pick(rng),
            campaign_id=rng.choice(campaigns) if campaigns and rng.random() < 0.3 else None,
            shipping_cents=shipping,
            amount_cents=goods + shipping,
            method=PAYMENT_METHOD.pick(rng),
            carrier=rng.choice(catalog.CARRIERS),
            events=tuple(sorted(plan_lifecycle(rng, order_ts))),
        )

    def lifecycle_rows(
        self, today: int
    ) -> tuple[list[tuple[Order, int]], list[tuple[Order, int]], list[tuple[Order, int]]]:
        """Today's versions of orders, payments and shipments: (order, packed event) pairs."""
        rows: dict[str, list[tuple[Order, int]]] = {
            "orders": [],
            "payments": [],
            "shipments": [],
        }
        rows_by_step = [rows[entity] for entity, _ in STEPS]
        # An order's events are sorted, and today's packed events lie in one range.
        low, high = (today * DAY_US) << STEP_BITS, ((today + 1) * DAY_US) << STEP_BITS
        for order in self.order_buckets.pop(today, []):
            events = order.events
            for event in events[bisect_left(events, low) : bisect_left(events, high)]:
                rows_by_step[event & STEP_MASK].append((order, event))
        for entity_rows in rows.values():
            entity_rows.sort(key=lambda pair: pair[1] >> STEP_BITS)
        return rows["orders"], rows["payments"], rows["shipments"]

    # web events ----------------------------------------------------------------------------

    def web_events(
        self,
        day: date,
        start_us: int,
        placed: list[tuple[Order, list[OrderLine]]],
        rng: random.Random,
    ) -> Iterator[Record]:
        """Purchase funnels for web and app orders, then browsing sessions up to ~10x orders."""
        target = WEB_EVENTS_PER_ORDER * len(placed)
        emitted = 0
        for order, lines in placed:
            if order.channel == "marketplace":
                continue
            session = purchase_session(rng, order, lines, start_us)
            emitted += len(session)
            yield from session
        customers, products = self.customer_ids, self.products_delivered
        while emitted < target and products:
            session = browse_session(rng, customers, products, start_us)
            emitted += len(session)
            yield from session

    # inventory -----------------------------------------------------------------------------

    def inventory_snapshot(self, day: date) -> Batch:
        """Every warehouse x delivered product, stock moved by a random walk with restocks."""
        rng = self.stream_rng("inventory", day)
        rows = []
        for warehouse in self.warehouses:
            for product_id in self.products_delivered:
                key = (warehouse, product_id)
                quantity = self.stock.get(key)
                if quantity is None:
                    quantity = rng.randint(0, 200)
                elif quantity < 5 and rng.random() < 0.5:
                    quantity += rng.randint(50, 200)
                else:
                    quantity = max(0, quantity - rng.randint(0, 6))
                self.stock[key] = quantity
                rows.append((warehouse, product_id, quantity))
        records = (
            {"warehouse_id": w, "product_id": p, "on_hand_qty": q, "snapshot_date": day}
            for w, p, q in rows
        )
        return Batch(len(rows), records)


def warehouse_count(scale: float) -> int:
    return 3 if scale < 5 else min(len(catalog.WAREHOUSES), 3 + round(scale**0.35))


def catalogue_size(scale: float) -> int:
    return max(30, round(400 * scale**0.5))


def make_email(rng: random.Random, first_name: str, last_name: str) -> str:
    local = f"{ascii_slug(first_name)}.{ascii_slug(last_name)}{rng.randint(1, 9_999)}"
    return f"{local}@{rng.choice(catalog.EMAIL_DOMAINS)}"


def customer_record(customer: Customer) -> Record:
    return {
        "customer_id": customer.customer_id,
        "email": customer.email,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "country_code": customer.country_code,
        "city": customer.city,
        "loyalty_tier": customer.loyalty_tier,
        "signup_ts": customer.signup_ts,
        "updated_at": customer.updated_at,
    }


def campaign_record(campaign: Campaign) -> Record:
    return {
        "campaign_id": campaign.campaign_id,
        "campaign_name": campaign.campaign_name,
        "channel": campaign.channel,
        "start_date": campaign.start_date,
        "end_date": campaign.end_date,
        "budget": campaign.budget,
        "updated_at": campaign.updated_at,
    }


def plan_lifecycle(rng: random.Random, placed_us: int) -> list[int]:
    """Every future status change of an order, its payment and its shipment, timed now.

    Most orders go placed -> paid -> shipped -> delivered within a week; some
    fail payment and are cancelled, some are cancelled after payment (refund),
    a few parcels get lost and some deliveries are returned (refund).
    """
    events = [pack_event(placed_us, "orders", "placed")]
    draw = rng.random()
    if draw < 0.04:
        failed = later_us(rng, placed_us, 30, 600)
        events.append(pack_event(failed, "payments", "failed"))
        events.append(pack_event(later_us(rng, failed, 1_800, 6 * HOUR_S), "orders", "cancelled"))
        return events
    paid = later_us(rng, placed_us, 60, 2 * HOUR_S)
    events.append(pack_event(paid, "orders", "paid"))
    events.append(pack_event(paid, "payments", "authorized"))
    if draw < 0.07:
        captured = later_us(rng, paid, 300, 1_200)
        cancelled = later_us(rng, captured, 300, 4_000)
        events.append(pack_event(captured, "payments", "captured"))
        events.append(pack_event(cancelled, "orders", "cancelled"))
        events.append(pack_event(later_us(rng, cancelled, 600, 2 * HOUR_S), "payments", "refunded"))
        return events
    events.append(pack_event(later_us(rng, paid, 600, 12 * HOUR_S), "payments", "captured"))
    label = later_us(rng, paid, 1_800, 8 * HOUR_S)
    shipped = later_us(rng, label, HOUR_S, 36 * HOUR_S)
    transit = later_us(rng, shipped, 2 * HOUR_S, 20 * HOUR_S)
    events.append(pack_event(label, "shipments", "pending"))
    events.append(pack_event(shipped, "shipments", "shipped"))
    events.append(pack_event(shipped, "orders", "shipped"))
    events.append(pack_event(transit, "shipments", "in_transit"))
    if rng.random() < 0.005:
        events.append(pack_event(later_us(rng, transit, 3 * DAY_S, 6 * DAY_S), "shipments", "lost"))
        return events
    delivered = later_us(rng, transit, 4 * HOUR_S, 4 * DAY_S)
    events.append(pack_event(delivered, "shipments", "delivered"))
    events.append(pack_event(delivered, "orders", "delivered"))
    if rng.random() < 0.04:
        returned = later_us(rng, delivered, 2 * DAY_S, 7 * DAY_S)
        events.append(pack_event(returned, "orders", "returned"))
        events.append(pack_event(returned, "shipments", "returned"))
        events.append(pack_event(later_us(rng, returned, HOUR_S, DAY_S), "payments", "refunded"))
    return events


def order_record(pair: tuple[Order, int]) -> Record:
    order, event = pair
    return {
        "order_id": order.order_id,
        "customer_id": order.customer_id,
        "order_ts": to_datetime(order.order_ts_us),
        "status": event_status(event),
        "channel": order.channel,
        "campaign_id": order.campaign_id,
        "shipping_amount": cents(order.shipping_cents),
        "updated_at": to_datetime(event >> STEP_BITS),
    }


def payment_record(pair: tuple[Order, int]) -> Record:
    order, event = pair
    return {
        "payment_id": f"PAY-{order.seq:09d}",
        "order_id": order.order_id,
        "payment_ts": to_datetime(order.payment_ts_us()),
        "method": order.method,
        "amount": cents(order.amount_cents),
        "status": event_status(event),
        "updated_at": to_datetime(event >> STEP_BITS),
    }


def shipment_record(pair: tuple[Order, int]) -> Record:
    order, event = pair
    us, _, status = unpack_event(event)
    shipped = order.first_us("shipments", "shipped")
    delivered = order.first_us("shipments", "delivered")
    return {
        "shipment_id": f"SHP-{order.seq:09d}",
        "order_id": order.order_id,
        "carrier": order.carrier,
        "status": status,
        "shipped_ts": to_datetime(shipped) if shipped is not None and shipped <= us else None,
        "delivered_ts": (
            to_datetime(delivered) if delivered is not None and delivered <= us else None
        ),
        "updated_at": to_datetime(us),
    }


def order_item_records(placed: list[tuple[Order, list[OrderLine]]]) -> Iterator[Record]:
    for order, lines in placed:
        order_id = order.order_id
        for line in lines:
            yield {
                "order_id": order_id,
                "line_number": line.line_number,
                "product_id": line.product_id,
                "quantity": line.quantity,
                "unit_price": cents(line.price_cents),
                "discount_amount": cents(line.discount_cents),
            }


Step = tuple[str, str | None, str]  # (event type, product id, page url)


def session_events(
    rng: random.Random,
    session: tuple[str, str | None, str],
    steps: list[Step],
    end_us: int,
    start_us: int,
) -> list[Record]:
    """The session's events; every step is timed before the first event id is drawn."""
    session_id, customer_id, device = session
    times = step_times(rng, len(steps), end_us, start_us)
    return [
        {
            "event_id": random_id(rng),
            "session_id": session_id,
            "customer_id": customer_id,
            "event_type": event_type,
            "product_id": product_id,
            "event_ts": to_datetime(us),
            "device": device,
            "page_url": page_url,
        }
        for (event_type, product_id, page_url), us in zip(steps, times, strict=True)
    ]


def step_times(rng: random.Random, count: int, end_us: int, start_us: int) -> list[int]:
    """Times for `count` steps ending at `end_us`, spaced backwards, never before the day."""
    randint = rng.randint
    current = end_us
    times = [current]
    for _ in range(count - 1):
        current = max(start_us, current - randint(5, 180) * US_PER_S)
        times.append(current)
    times.reverse()
    return times


def purchase_session(
    rng: random.Random, order: Order, lines: list[OrderLine], start_us: int
) -> list[Record]:
    device = (APP_DEVICE if order.channel == "mobile_app" else DEVICE).pick(rng)
    session = (random_id(rng), order.customer_id, device)
    steps: list[Step] = [("page_view", None, "/")]
    if rng.random() < 0.5:
        steps.append(("page_view", None, "/deals"))
    for line in lines:
        steps.append(("product_view", line.product_id, f"/p/{line.product_id}"))
        steps.append(("add_to_cart", line.product_id, f"/p/{line.product_id}"))
    if rng.random() < 0.1:
        product_id = lines[0].product_id
        steps.append(("add_to_cart", product_id, f"/p/{product_id}"))
        steps.append(("remove_from_cart", product_id, "/cart"))
    steps.append(("checkout_start", None, "/checkout"))
    steps.append(("purchase", None, f"/checkout/confirmation?order={order.order_id}"))
    return session_events(rng, session, steps, order.order_ts_us, start_us)


def browse_session(
    rng: random.Random, customers: list[str], products: list[str], start_us: int
) -> list[Record]:
    """A visit that does not buy: views, sometimes a cart, sometimes an abandoned checkout."""
    anonymous = rng.random() < 0.4
    session = (random_id(rng), None if anonymous else rng.choice(customers), DEVICE.pick(rng))
    steps: list[Step] = [("page_view", None, "/")]
    for _ in range(rng.randint(0, 3)):
        product_id = rng.choice(products)
        steps.append(("product_view", product_id, f"/p/{product_id}"))
        if rng.random() < 0.15:
            steps.append(("add_to_cart", product_id, f"/p/{product_id}"))
            if rng.random() < 0.3:
                steps.append(("remove_from_cart", product_id, "/cart"))
            elif rng.random() < 0.3:
                steps.append(("checkout_start", None, "/checkout"))
    end_us = instant_us(rng, start_us, DAY_S)
    return session_events(rng, session, steps, end_us, start_us)
