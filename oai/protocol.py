"""OAI-PMH 2.0 (http://www.openarchives.org/OAI/openarchivesprotocol.html), written small.

No maintained Django package fits (the one on PyPI is GPL and PostgreSQL-only), so the
six verbs are here, with the protocol's own error codes for every bad argument. Records
are reports and gap analyses; sets are the published themes, by slug; the one metadata
format is oai_dc. Resumption tokens are stateless: the request and the position, signed
(``django.core.signing``) and dated, so a forged or stale token is a badResumptionToken.
"""

import datetime
import re

from django.conf import settings
from django.core import signing
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from collaboration.models import Theme

from .metadata import METADATA_FORMATS, oai_dc, repository_identifier
from .models import Record
from .records import SOURCES, synced

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
TOKEN_SALT = "oai.resumption"
TOKEN_LIFETIME = datetime.timedelta(hours=24)

LIST_ARGUMENTS = ({"metadataPrefix"}, {"from", "until", "set"})
VERBS = {
    # verb: (required arguments, optional arguments); resumptionToken is handled apart.
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": LIST_ARGUMENTS,
    "ListRecords": LIST_ARGUMENTS,
}
RESUMABLE = {"ListIdentifiers", "ListRecords", "ListSets"}


class OaiError(Exception):
    """One of the protocol's error conditions, with a message for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def utc(moment) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def parse_datestamp(value: str, *, name: str, end: bool) -> tuple[datetime.datetime, str]:
    """A from/until argument as an aware time, and its granularity (day or second)."""
    try:
        if DAY.fullmatch(value):
            day = datetime.date.fromisoformat(value)
            moment = datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
            if end:
                moment += datetime.timedelta(days=1, seconds=-1)
            return moment, "day"
        if SECOND.fullmatch(value):
            moment = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
            return moment.replace(tzinfo=datetime.UTC), "second"
    except ValueError:
        pass
    raise OaiError(
        "badArgument",
        f"'{name}' must be a date (YYYY-MM-DD) or a UTC time (YYYY-MM-DDThh:mm:ssZ), "
        f"not {value!r}.",
    )


def parse_identifier(identifier: str) -> tuple[str, int]:
    prefix = f"oai:{repository_identifier()}:"
    if identifier.startswith(prefix):
        kind, _, number = identifier[len(prefix) :].partition("/")
        if kind in SOURCES and number.isascii() and number.isdigit():
            return kind, int(number)
    raise OaiError("idDoesNotExist", f"No record has the identifier {identifier!r}.")


def identifier_of(record: Record) -> str:
    return f"oai:{repository_identifier()}:{record.local_identifier}"


class Request:
    """One protocol request: its arguments checked, its answer built as XML."""

    def __init__(self, arguments, *, base_url: str, absolute):
        self.arguments = arguments  # a QueryDict: repeated arguments stay visible
        self.base_url = base_url
        self.absolute = absolute
        self.verb = None
        self.valid_arguments = {}

    # The envelope -----------------------------------------------------------------

    def response(self) -> bytes:
        root = etree.Element(
            f"{{{OAI}}}OAI-PMH",
            nsmap={None: OAI, "xsi": XSI},
            attrib={f"{{{XSI}}}schemaLocation": f"{OAI} {OAI_SCHEMA}"},
        )
        etree.SubElement(root, f"{{{OAI}}}responseDate").text = utc(timezone.now())
        request = etree.SubElement(root, f"{{{OAI}}}request")
        request.text = self.base_url
        try:
            self.check_arguments()
            body = getattr(self, self.verb)()
        except OaiError as error:
            if error.code not in ("badVerb", "badArgument"):
                request.attrib.update(self.valid_arguments)
            element = etree.SubElement(root, f"{{{OAI}}}error", code=error.code)
            element.text = error.message
        else:
            request.attrib.update(self.valid_arguments)
            root.append(body)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    def check_arguments(self) -> None:
        verbs = self.arguments.getlist("verb")
        if len(verbs) != 1 or verbs[0] not in VERBS:
            if not verbs:
                raise OaiError("badVerb", "The request has no verb.")
            if len(verbs) > 1:
                raise OaiError("badVerb", "The verb is repeated.")
            raise OaiError("badVerb", f"{verbs[0]!r} is not an OAI-PMH verb.")
        self.verb = verbs[0]
        required, optional = VERBS[self.verb]
        given = set(self.arguments) - {"verb"}
        repeated = sorted(name for name in given if len(self.arguments.getlist(name)) > 1)
        if repeated:
            raise OaiError("badArgument", f"Repeated argument: {', '.join(repeated)}.")
        if "resumptionToken" in given and self.verb in RESUMABLE:
            if given != {"resumptionToken"}:
                raise OaiError(
                    "badArgument", "resumptionToken is an exclusive argument: send it alone."
                )
        else:
            unknown = sorted(given - required - optional)
            if unknown:
                raise OaiError("badArgument", f"{self.verb} does not take: {', '.join(unknown)}.")
            missing = sorted(required - given)
            if missing:
                raise OaiError("badArgument", f"{self.verb} needs: {', '.join(missing)}.")
        self.valid_arguments = {"verb": self.verb}
        self.valid_arguments.update((name, self.arguments[name]) for name in sorted(given))

    def element(self, name: str, parent=None, text=None, **attributes):
        tag = f"{{{OAI}}}{name}"
        made = etree.Element(tag) if parent is None else etree.SubElement(parent, tag)
        made.attrib.update(attributes)
        if text is not None:
            made.text = text
        return made

    # Verbs ----------------------------------------------------------------------------

    def Identify(self):
        synced()
        body = self.element("Identify")
        earliest = Record.objects.aggregate(earliest=Min("datestamp"))["earliest"]
        for name, value in (
            ("repositoryName", settings.SITE_NAME),
            ("baseURL", self.base_url),
            ("protocolVersion", "2.0"),
            ("adminEmail", settings.EMPAC_OAI_ADMIN_EMAIL),
            ("earliestDatestamp", utc(earliest or timezone.now())),
            ("deletedRecord", "persistent"),
            ("granularity", GRANULARITY),
        ):
            self.element(name, body, value)
        description = self.element("description", body)
        identifier = etree.SubElement(
            description,
            f"{{{OAI_IDENTIFIER}}}oai-identifier",
            nsmap={None: OAI_IDENTIFIER},
            attrib={f"{{{XSI}}}schemaLocation": f"{OAI_IDENTIFIER} {OAI_IDENTIFIER_SCHEMA}"},
        )
        for name, value in (
            ("scheme", "oai"),
            ("repositoryIdentifier", repository_identifier()),
            ("delimiter", ":"),
            ("sampleIdentifier", f"oai:{repository_identifier()}:report/1"),
        ):
            etree.SubElement(identifier, f"{{{OAI_IDENTIFIER}}}{name}").text = value
        return body

    def ListMetadataFormats(self):
        if "identifier" in self.arguments:
            self.record_for(self.arguments["identifier"])
        body = self.element("ListMetadataFormats")
        for prefix, described in METADATA_FORMATS.items():
            format_element = self.element("metadataFormat", body)
            self.element("metadataPrefix", format_element, prefix)
            self.element("schema", format_element, described["schema"])
            self.element("metadataNamespace", format_element, described["namespace"])
        return body

    def ListSets(self):
        if "resumptionToken" in self.arguments:
            raise OaiError("badResumptionToken", "The list of sets comes whole, never resumed.")
        body = self.element("ListSets")
        for theme in Theme.objects.published():
            set_element = self.element("set", body)
            self.element("setSpec", set_element, theme.slug)
            self.element("setName", set_element, theme.full_name)
        return body

    def GetRecord(self):
        self.metadata_prefix(self.arguments["metadataPrefix"])
        record = self.record_for(self.arguments["identifier"])
        body = self.element("GetRecord")
        self.append_records(body, [record], with_metadata=True)
        return body

    def ListIdentifiers(self):
        return self.list_records("ListIdentifiers", with_metadata=False)

    def ListRecords(self):
        return self.list_records("ListRecords", with_metadata=True)

    # Lists ------------------------------------------------------------------------------

    def list_records(self, verb: str, *, with_metadata: bool):
        if "resumptionToken" in self.arguments:
            query = self.read_token(self.arguments["resumptionToken"], verb)
        else:
            query = self.new_query()
        synced()
        records = self.matching(query)
        page_size = settings.EMPAC_OAI_PAGE_SIZE
        page = list(records.filter(id__gt=query["after"]).order_by("id")[: page_size + 1])
        if not page:
            if "resumptionToken" in self.arguments:
                raise OaiError("badResumptionToken", "Nothing is left after this token.")
            raise OaiError("noRecordsMatch", "No records match the request.")
        more = len(page) > page_size
        page = page[:page_size]
        body = self.element(verb)
        self.append_records(body, page, with_metadata=with_metadata)
        if more or "resumptionToken" in self.arguments:
            self.append_token(body, query, page, more=more, total=records.count())
        return body

    def new_query(self) -> dict:
        prefix = self.metadata_prefix(self.arguments["metadataPrefix"])
        query = {"verb": self.verb, "prefix": prefix, "after": 0, "cursor": 0}
        bounds = {}
        for name in ("from", "until"):
            if name in self.arguments:
                bounds[name] = parse_datestamp(self.arguments[name], name=name, end=name == "until")
        if len({granularity for _, granularity in bounds.values()}) > 1:
            raise OaiError("badArgument", "'from' and 'until' must have the same granularity.")
        if "from" in bounds and "until" in bounds and bounds["from"][0] > bounds["until"][0]:
            raise OaiError("badArgument", "'from' is later than 'until'.")
        for name, (moment, _) in bounds.items():
            query[name] = int(moment.timestamp())
        if "set" in self.arguments:
            query["set"] = self.arguments["set"]
        return query

    def matching(self, query: dict):
        records = Record.objects.all()
        if "from" in query:
            records = records.filter(
                datestamp__gte=datetime.datetime.fromtimestamp(query["from"], tz=datetime.UTC)
            )
        if "until" in query:
            records = records.filter(
                datestamp__lte=datetime.datetime.fromtimestamp(query["until"], tz=datetime.UTC)
            )
        if "set" in query:
            records = records.filter(set_specs__contains=f" {query['set']} ")
        return records

    def metadata_prefix(self, prefix: str) -> str:
        if prefix not in METADATA_FORMATS:
            raise OaiError(
                "cannotDisseminateFormat",
                f"{prefix!r} is not offered; the formats are: {', '.join(METADATA_FORMATS)}.",
            )
        return prefix

    def record_for(self, identifier: str) -> Record:
        kind, object_id = parse_identifier(identifier)
        synced()
        record = Record.objects.filter(kind=kind, object_id=object_id).first()
        if record is None:
            raise OaiError("idDoesNotExist", f"No record has the identifier {identifier!r}.")
        return record

    def append_records(self, body, records, *, with_metadata: bool) -> None:
        items = {}
        if with_metadata:
            for kind, source in SOURCES.items():
                ids = [r.object_id for r in records if r.kind == kind and not r.is_deleted]
                if ids:
                    items[kind] = source.rows(ids)
        for record in records:
            item = items.get(record.kind, {}).get(record.object_id)
            # Not public since the sync (a moment ago): deleted, never shown.
            deleted = record.is_deleted or (with_metadata and item is None)
            parent = self.element("record", body) if with_metadata else body
            header = self.element("header", parent)
            if deleted:
                header.set("status", "deleted")
            self.element("identifier", header, identifier_of(record))
            self.element("datestamp", header, utc(record.datestamp))
            for spec in record.sets:
                self.element("setSpec", header, spec)
            if with_metadata and not deleted:
                metadata = self.element("metadata", parent)
                metadata.append(oai_dc(record.kind, item, self.absolute))

    # Resumption tokens ----------------------------------------------------------------

    def append_token(self, body, query, page, *, more: bool, total: int) -> None:
        attributes = {"completeListSize": str(total), "cursor": str(query["cursor"])}
        if not more:
            # The last page of a resumed list ends with an empty token.
            self.element("resumptionToken", body, **attributes)
            return
        following = {**query, "after": page[-1].id, "cursor": query["cursor"] + len(page)}
        token = signing.dumps(following, salt=TOKEN_SALT, compress=True)
        expires = timezone.now() + TOKEN_LIFETIME
        self.element("resumptionToken", body, token, expirationDate=utc(expires), **attributes)

    def read_token(self, token: str, verb: str) -> dict:
        try:
            query = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_LIFETIME.total_seconds())
        except signing.SignatureExpired:
            raise OaiError("badResumptionToken", "This resumptionToken has expired.") from None
        except signing.BadSignature:
            raise OaiError("badResumptionToken", "This resumptionToken is not valid.") from None
        if not isinstance(query, dict) or query.get("verb") != verb:
            raise OaiError("badResumptionToken", "This resumptionToken is for another list.")
        return query


def base_url(request) -> str:
    return request.build_absolute_uri(reverse("oai:endpoint"))
