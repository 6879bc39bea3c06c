"""Reference data the simulated shop draws from: names, places, catalogue vocabulary.

Kept apart from the simulation so the business rules read without word lists.
Non-ASCII names and values with commas and quotes are deliberate: they prove
the landing files are UTF-8 and RFC 4180 quoted.
"""

from __future__ import annotations

# fmt: off
FIRST_NAMES = (
    "Anna", "Ben", "Chloé", "David", "Elif", "Finn", "Greta", "Hugo", "Ines", "Jonas", "Karin",
    "Lukas", "Marta", "Noah", "Olga", "Paul", "Quinn", "Rosa", "Søren", "Tomás", "Ulla", "Victor",
    "Wiebke", "Xavier", "Yara", "Zoë", "Łukasz", "Émilie", "Jürgen", "Siobhán", "Mia", "Leon",
)
LAST_NAMES = (
    "Müller", "Schmidt", "Dubois", "García", "Rossi", "Jansen", "Nowak", "Kowalski", "Smith",
    "O'Brien", "Novák", "Andersson", "Nielsen", "Fischer", "Weber", "Martin", "Bernard", "Silva",
    "Costa", "Horvat", "Papadopoulos", "Virtanen", "Ivanova", "De Vries", "Van den Berg", "Kaya",
)
EMAIL_DOMAINS = ("example.com", "mail.example", "post.example.org", "shop-mail.example.net")

# country code -> (weight, cities)
COUNTRIES: dict[str, tuple[int, tuple[str, ...]]] = {
    "DE": (30, ("Berlin", "München", "Hamburg", "Köln", "Frankfurt am Main")),
    "FR": (14, ("Paris", "Lyon", "Marseille", "Toulouse")),
    "NL": (10, ("Amsterdam", "Rotterdam", "Utrecht", "Den Haag")),
    "GB": (10, ("London", "Manchester", "Edinburgh")),
    "US": (8, ("New York", "Austin", "Seattle", "Chicago")),
    "ES": (6, ("Madrid", "Barcelona", "Sevilla")),
    "IT": (6, ("Milano", "Roma", "Torino")),
    "PL": (5, ("Warszawa", "Kraków", "Gdańsk")),
    "AT": (4, ("Wien", "Graz", "Salzburg")),
    "SE": (3, ("Stockholm", "Göteborg", "Malmö")),
    "BE": (2, ("Bruxelles", "Antwerpen", "Gent")),
    "CH": (2, ("Zürich", "Genève", "Basel")),
}
LOYALTY_TIERS = (("none", 60), ("silver", 25), ("gold", 11), ("platinum", 4))

# category -> (price range in cents, subcategories)
CATEGORIES: dict[str, tuple[tuple[int, int], tuple[str, ...]]] = {
    "Electronics": ((1_999, 129_900), ("Headphones", "Chargers", "Smart Home", "Cameras")),
    "Home & Kitchen": ((499, 34_900), ("Cookware", "Storage", "Lighting", "Bedding")),
    "Fashion": ((999, 24_900), ("Shoes", "Jackets", "Accessories", "T-Shirts")),
    "Sports": ((799, 59_900), ("Running", "Cycling", "Yoga", "Outdoor")),
    "Beauty": ((299, 9_900), ("Skincare", "Hair", "Fragrance")),
    "Toys": ((499, 14_900), ("Puzzles", "Building Sets", "Dolls", "Games")),
    "Books": ((599, 4_900), ("Fiction", "Cookbooks", "Children", "Travel")),
    "Garden": ((399, 79_900), ("Tools", "Plants", "Furniture")),
}
BRANDS = (
    "Acme", "Nordlicht", "Bellevue", "Kestrel", "Orion & Co", "Zephyr", "Maison Rouge", "Tundra",
    "Papillon", "Vektor", "Lumen", "Sakura",
)
ADJECTIVES = ("Classic", "Pro", "Eco", "Deluxe", "Mini", "Ultra", "Vintage", "Smart", "Compact")
# A few names need quoting (comma, quote) or span two lines; readers must cope.
ODD_PRODUCT_NAMES = (
    'Mug "Morning", 350ml',
    "Gift Set, 3 pieces",
    'Poster 50x70 "Skyline"',
    "Starter Kit\n(2nd edition)",
)

CAMPAIGN_THEMES = (
    "Winter Sale", "Spring Refresh", "Summer Deals", "Back to School", "Black Friday",
    "Cyber Week", "Loyalty Boost", "New Arrivals", "Flash Friday", "Weekend Special",
)
CAMPAIGN_CHANNELS = ("email", "social", "search", "affiliate", "display")

ORDER_CHANNELS = (("web", 55), ("mobile_app", 35), ("marketplace", 10))
PAYMENT_METHODS = (
    ("credit_card", 40),
    ("debit_card", 15),
    ("paypal", 25),
    ("bank_transfer", 8),
    ("gift_card", 4),
    ("cash_on_delivery", 8),
)
CARRIERS = ("DHL", "UPS", "FedEx", "DPD", "GLS", "PostNL")
SHIPPING_FEES_CENTS = (0, 0, 499, 699, 999)
WAREHOUSES = ("WH-BER", "WH-AMS", "WH-MIL", "WH-LYS", "WH-WAW", "WH-MAD", "WH-DUB", "WH-VIE")
DEVICES = (("desktop", 45), ("mobile", 45), ("tablet", 10))
APP_DEVICES = (("mobile", 80), ("tablet", 20))
# fmt: on
