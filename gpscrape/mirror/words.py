"""Word lists for the mirror's generated prose and people (our own invented vocabulary)."""

from __future__ import annotations

FIRST_NAMES: tuple[str, ...] = (
    "Aarav", "Meera", "Kavya", "Rohan", "Ishita", "Nikhil", "Tara", "Dev", "Anika", "Varun",
    "Lakshmi", "Arjun", "Sneha", "Kiran", "Pranav", "Riya", "Farah", "Joel", "Nandini", "Samir",
    "Tanvi", "Omkar", "Divya", "Yash", "Mira", "Harsh", "Leela", "Akash", "Zoya", "Vikram",
)
LAST_NAMES: tuple[str, ...] = (
    "Raghavan", "Menon", "Kulkarni", "Sethi", "Bhat", "Iyengar", "Pillai", "Chawla", "Dutta",
    "Naidu", "Mathew", "Kapoor", "Rao", "Joshi", "Varghese", "Sinha", "Hegde", "Bose", "Kamath",
    "Thomas", "Gill", "Saxena", "Nair", "Shenoy", "Ahuja", "Prasad", "Qureshi", "Das",
)
INITIALS: tuple[str, ...] = ("J", "K", "R", "S", "M")

TEAMS: dict[str, str] = {
    "twtw": "GP Team",
    "twtw_late": "Global Politics Team",
    "cw": "IPRI Team",
    "africa": "NIAS Africa Team",
    "stir": "STIR Team",
}

AFFILIATIONS: tuple[str, ...] = (
    "Research Associate, ISSSP, NIAS",
    "Research Intern, NIAS",
    "Centre for Regional Studies, Pune",
    "Department of Political Science, Mysuru",
    "International Strategic and Security Studies Programme (ISSSP), NIAS",
)
BIO_PLACES: tuple[str, ...] = (
    "the School of Conflict and Security Studies, NIAS",
    "the Department of International Relations at a university in Kochi",
    "a policy research centre in Hyderabad",
    "the Centre for European Studies at a university in Delhi",
    "the Department of Defence Studies at a college in Chennai",
)
BIO_ROLES: tuple[str, ...] = (
    "a Research Associate at", "a doctoral scholar at", "an Assistant Professor at",
    "a postgraduate student at", "a visiting fellow at",
)

COUNTRIES: tuple[str, ...] = (
    "Kenya", "Chile", "Japan", "Poland", "Brazil", "Indonesia", "Nigeria", "Canada", "Vietnam",
    "Peru", "Ghana", "Norway", "Turkey", "Egypt", "Mexico", "Sri Lanka", "Nepal", "Ethiopia",
    "Argentina", "South Korea", "Romania", "Senegal", "the Philippines", "Mongolia", "Morocco",
    "Finland", "Bolivia", "Kazakhstan", "Tanzania", "Portugal", "Bangladesh", "Colombia",
)
AFRICAN_COUNTRIES: tuple[str, ...] = (
    "Kenya", "Nigeria", "Ghana", "Ethiopia", "Senegal", "Tanzania", "Morocco", "Egypt", "Mali",
    "Zambia", "Angola", "Uganda", "Niger", "Sudan", "Rwanda", "Malawi",
)
EUROPEAN_COUNTRIES: tuple[str, ...] = (
    "Poland", "Romania", "Finland", "Portugal", "Norway", "Germany", "France", "Spain", "Italy",
    "Hungary", "Estonia", "Greece", "Austria", "Ireland", "Czechia", "Slovakia",
)
CITIES: tuple[str, ...] = (
    "Nairobi", "Santiago", "Osaka", "Krakow", "Recife", "Surabaya", "Lagos", "Hanoi", "Lima",
    "Accra", "Bergen", "Izmir", "Geneva", "Brussels", "Colombo", "Dakar",
)
ACTORS: tuple[str, ...] = (
    "the government", "the foreign ministry", "the central bank", "the parliament",
    "the opposition", "the defence ministry", "the election commission", "the trade ministry",
    "a coalition of regional parties", "the supreme court", "the cabinet", "the port authority",
)
VERBS_PAST: tuple[str, ...] = (
    "announced", "approved", "rejected", "proposed", "postponed", "expanded", "reviewed",
    "suspended", "unveiled", "signed", "questioned", "endorsed",
)
ADJECTIVES: tuple[str, ...] = (
    "new", "revised", "contested", "ambitious", "temporary", "regional", "long-delayed",
    "modest", "sweeping", "joint", "provisional", "costly",
)
NOUNS: tuple[str, ...] = (
    "budget", "ceasefire", "trade pact", "energy plan", "security framework", "tariff schedule",
    "reform package", "water-sharing deal", "border protocol", "grain corridor", "debt plan",
    "fisheries agreement", "rail project", "climate fund", "visa policy", "satellite launch",
)
SUBJECTS: tuple[str, ...] = (
    "food prices", "fuel subsidies", "coastal security", "public health", "digital payments",
    "rural roads", "refugee support", "mining licences", "river management", "power supply",
    "cross-border trade", "labour rights", "university funding", "shipping lanes",
)
GROUPS: tuple[str, ...] = (
    "households", "farmers", "small traders", "voters", "exporters", "students",
    "young workers", "fishing communities", "city residents",
)
OUTCOMES: tuple[str, ...] = (
    "a cautious step", "a shift in priorities", "an opening for talks", "a test of the coalition",
    "a signal to investors", "a setback for the opposition", "a gamble on growth",
    "a return to older policies",
)
HEADLINE_VERBS: tuple[str, ...] = (
    "approves", "debates", "pauses", "widens", "revisits", "launches", "tightens", "eases",
)
SCIENCE_NOUNS: tuple[str, ...] = (
    "quantum sensing", "small satellites", "gene editing", "battery storage", "deep-sea mapping",
    "semiconductor design", "weather modelling", "space debris tracking", "green hydrogen",
)
FREE_HEADINGS: tuple[str, ...] = (
    "Background to the dispute", "Why the vote matters", "The regional angle", "Costs and gains",
    "A look at the numbers", "Voices from the ground", "The road ahead", "Old rivalries",
)
NUMBERED_HEADINGS: tuple[str, ...] = (
    "The pressure of rising debt", "The return of bloc politics", "The limits of mediation",
    "The weight of domestic opinion", "The pull of new partners", "The gap in enforcement",
)
INTERVIEW_PARTS: tuple[str, ...] = ("Russia", "Europe", "Trade", "Energy", "Asia", "Security")
MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
PHOTO_SOURCES: tuple[str, ...] = (
    "", "Reuters", "Reuters/ EPA/ BBC", "AP News", "Euronews, AP News, New York Times", "Wikimedia",
    "Al Jazeera", "",
)
