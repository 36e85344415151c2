"""schema.org descriptions (JSON-LD) of partners and people, for search engines."""

SCHEMA = "https://schema.org"


def organisation(org, *, url: str | None = None) -> dict:
    data = {"@type": "Organization", "name": org.name}
    if org.short_name:
        data["alternateName"] = org.short_name
    if url:
        data["url"] = url
    if org.website:
        data["sameAs"] = org.website
    if org.description:
        data["description"] = org.description
    if org.public_contact_email:
        data["email"] = org.public_contact_email
    return data


def person(someone, *, url: str | None = None) -> dict:
    data = {"@type": "Person", "name": someone.name}
    if someone.honorific:
        data["honorificPrefix"] = someone.honorific
    if url:
        data["url"] = url
    if someone.biography:
        data["description"] = someone.biography
    if someone.public_contact_email:
        data["email"] = someone.public_contact_email
    return data


def document(data: dict) -> dict:
    return {"@context": SCHEMA, **data}
