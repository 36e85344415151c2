"""The EMPAC content stated in the source documents, and the loader that puts it in the database.

The sources are the five files in ``/work/shared/seeds/`` (see its README). Facts – names,
ranks, titles, dates, table cells, recommendation headings – are copied exactly; everything
written as prose (descriptions, summaries, bodies, explanations) is in the project's own words.

The loader creates each object at most once per database and never changes what exists: once
seeded, an object belongs to the curators, and so does the decision to delete it. A
``SeedRecord`` remembers every object seeded, so a deleted one stays deleted unless a run asks
to restore it.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from collaboration.models import Organisation, Person, Role, Theme
from publishing.models import Status
from publishing.versioning import bump_content_version
from reports.models import (
    AlignmentRow,
    ComparisonRow,
    GapAnalysis,
    KnowledgeGap,
    Recommendation,
    Report,
)

from .models import SeedRecord

# Source documents, by the slug of the Report that stands for each.
NEWS_MOMENTUM = "growing-momentum-in-tackling-serious-organised-crime"
NEWS_WORKING_TOGETHER = "working-together-on-serious-organised-crime"
COMMUNITY_RESILIENCE = "community-resilience-progress-report-november-2020"
ORGANISATIONAL_ADAPTABILITY = "organisational-adaptability-progress-report-december-2020"
INTELLIGENCE = "intelligence-progress-report-february-2021"
INTERIM_DECEMBER_2019 = "interim-report-december-2019"
INTERIM_JANUARY_2020 = "interim-generic-update-report-january-2020"
PRESS_2015 = "east-midlands-crime-unit-leads-the-way-nationally-according-to-new-report"

# Short names from the early-2021 news post, full names from the progress reports' numbered
# list, alternative wording from the "Working together" news post's bullet list (first letter
# capitalised, list punctuation dropped).
THEMES = [
    {
        "position": 1,
        "slug": "international-links",
        "short_name": "Understanding international links",
        "full_name": "Links between UK and international Organised Crime Groups (OCGs)",
        "alternative_wording": "Linking national and international crime groups",
        "description": (
            "Organised crime in the East Midlands seldom stops at the regional or national "
            "border. This theme looks at how groups active in the region connect with networks "
            "elsewhere in the UK and overseas, and what those connections mean for investigating "
            "and disrupting them."
        ),
    },
    {
        "position": 2,
        "slug": "digital-technologies",
        "short_name": "Understanding digital technologies",
        "full_name": "Digital technologies used by OCGs",
        "alternative_wording": (
            "The use of digital technologies to recruit, participate in crime, and enable the "
            "proceeds of crime, including money laundering"
        ),
        "description": (
            "Criminal groups use technology to find and draw in recruits, to commit offences, "
            "and to move and hide what they make, laundering included. This theme asks how that "
            "use works and how policing can keep pace with it."
        ),
    },
    {
        "position": 3,
        "slug": "ocg-business-models",
        "short_name": "Understanding OCG business models",
        "full_name": "Business models used by OCGs",
        "alternative_wording": (
            "Understanding emergent business markets and models of organised crime groups (OCGs)"
        ),
        "description": (
            "Organised crime groups behave like enterprises: they move into new markets and "
            "change how they operate. This theme studies those markets and models so that "
            "policing can anticipate the next move rather than react to the last one."
        ),
    },
    {
        "position": 4,
        "slug": "protection-from-ocgs",
        "short_name": "Protection from OCGs",
        "full_name": "Protecting individuals and communities from OCGs",
        "alternative_wording": (
            "How to prevent individuals and communities becoming vulnerable to OCG recruitment "
            "or targeting"
        ),
        "description": (
            "Organised crime feeds on vulnerability, as county lines exploitation shows. This "
            "theme asks how people and neighbourhoods can be made harder to recruit or target, "
            "with partner agencies and communities themselves sharing the work of prevention."
        ),
    },
    {
        "position": 5,
        "slug": "what-works",
        "short_name": "What works",
        "full_name": (
            "Evaluating policing effectiveness in preventing, disrupting and detecting OCGs"
        ),
        "alternative_wording": (
            "How to better evaluate the effectiveness of prevention, disruption and counter "
            "measures"
        ),
        "description": (
            "Prevention, disruption and other counter-measures all take effort, and not all of "
            "them succeed. This theme is about measuring which approaches really do prevent, "
            "disrupt and detect organised crime, so that effort goes where it makes a difference."
        ),
    },
    {
        "position": 6,
        "slug": "agile-law-enforcement-mindset",
        "short_name": "Developing a more agile law enforcement mindset",
        "full_name": (
            "Creating a more agile law enforcement mindset to counter the entrepreneurial "
            "nature of OCGs"
        ),
        "alternative_wording": (
            "How to enable a more agile law enforcement mindset to counter the entrepreneurial "
            "nature of SOC"
        ),
        "description": (
            "Policing works within rules, structures and chains of command, while criminal "
            "groups change course quickly and opportunistically. This theme explores how law "
            "enforcement could become more flexible and forward-looking, for instance by "
            "testing techniques such as red teaming."
        ),
    },
]

K = Organisation.Kind
# The 19 members listed in both progress reports' footnote, then the other bodies the sources
# name. Generic agencies that the alignment table lists without saying which one (a children's
# trust, a safeguarding board, a youth offending service) are not organisations here; they stay
# in the table's own words.
ORGANISATIONS = [
    {
        "slug": "derbyshire-constabulary",
        "name": "Derbyshire Constabulary",
        "kind": K.POLICE_FORCE,
        "is_member": True,
        "description": (
            "One of the five East Midlands police forces in the collaboration and one of the "
            "forces whose officers and staff make up EMSOU. In 2015 its Chief Constable was the "
            "national policing lead for serious and organised crime."
        ),
    },
    {
        "slug": "leicestershire-police",
        "name": "Leicestershire Police",
        "kind": K.POLICE_FORCE,
        "is_member": True,
        "description": (
            "One of the five East Midlands police forces in the collaboration, and one of the "
            "forces that contribute officers and staff to EMSOU."
        ),
    },
    {
        "slug": "lincolnshire-police",
        "name": "Lincolnshire Police",
        "kind": K.POLICE_FORCE,
        "is_member": True,
        "description": (
            "One of the five East Midlands police forces in the collaboration, and one of the "
            "forces that contribute officers and staff to EMSOU."
        ),
    },
    {
        "slug": "northamptonshire-police",
        "name": "Northamptonshire Police",
        "kind": K.POLICE_FORCE,
        "is_member": True,
        "description": (
            "One of the five East Midlands police forces in the collaboration, and one of the "
            "forces that contribute officers and staff to EMSOU."
        ),
    },
    {
        "slug": "nottinghamshire-police",
        "name": "Nottinghamshire Police",
        "kind": K.POLICE_FORCE,
        "is_member": True,
        "description": (
            "One of the five East Midlands police forces in the collaboration, and one of the "
            "forces that contribute officers and staff to EMSOU."
        ),
    },
    {
        "slug": "derbyshire-opcc",
        "name": "Office of the Police and Crime Commissioner for Derbyshire",
        "short_name": "Derbyshire OPCC",
        "kind": K.PCC,
        "is_member": True,
        "description": (
            "The Derbyshire commissioner's office, a member of the collaboration. The community "
            "resilience report lists it with Loughborough University researchers as a partner "
            "for studying why some areas have very little crime."
        ),
    },
    {
        "slug": "leicestershire-opcc",
        "name": "Office of the Police and Crime Commissioner for Leicestershire",
        "short_name": "Leicestershire OPCC",
        "kind": K.PCC,
        "is_member": True,
        "description": (
            "The Leicestershire commissioner's office, a member of the collaboration. It took "
            "part in evaluating place-based crime prevention in Leicestershire, findings the "
            "community resilience report proposes to share."
        ),
    },
    {
        "slug": "lincolnshire-opcc",
        "name": "Office of the Police and Crime Commissioner for Lincolnshire",
        "short_name": "Lincolnshire OPCC",
        "kind": K.PCC,
        "is_member": True,
        "description": "The Lincolnshire commissioner's office, a member of the collaboration.",
    },
    {
        "slug": "northamptonshire-opcc",
        "name": "Office of the Police and Crime Commissioner for Northamptonshire",
        "short_name": "Northamptonshire OPCC",
        "kind": K.PCC,
        "is_member": True,
        "description": (
            "The Northamptonshire commissioner's office, a member of the collaboration."
        ),
    },
    {
        "slug": "nottinghamshire-opcc",
        "name": "Office of the Police and Crime Commissioner for Nottinghamshire",
        "short_name": "Nottinghamshire OPCC",
        "kind": K.PCC,
        "is_member": True,
        "description": (
            "The Nottinghamshire commissioner's office, a member of the collaboration."
        ),
    },
    {
        "slug": "emsou",
        "name": "East Midlands Special Operations Unit",
        "short_name": "EMSOU",
        "kind": K.ROCU,
        "is_member": True,
        "description": (
            "The regional organised crime unit for the East Midlands and the operational "
            "partner in the collaboration's work on serious and organised crime. It started in "
            "2002 as a covert unit and grew to bring together officers and specialist staff "
            "from the five forces; by 2015 it had more than 1,400 of them and was one of only "
            "two regional units providing all 13 capabilities, and the inspectorate judged it "
            "the most advanced of the ten in England and Wales. The 2015 press article expands "
            "the abbreviation as “East Midlands Specialist Operations Unit”; the "
            "collaboration's own documents say “East Midlands Special Operations Unit”."
        ),
    },
    {
        "slug": "university-of-derby",
        "name": "University of Derby",
        "kind": K.UNIVERSITY,
        "is_member": True,
        "description": "One of the eight East Midlands universities in the collaboration.",
    },
    {
        "slug": "de-montfort-university",
        "name": "De Montfort University",
        "short_name": "DMU",
        "kind": K.UNIVERSITY,
        "is_member": True,
        "description": (
            "The Leicester university that hosts the collaboration's work on serious and "
            "organised crime and leads it academically. Staff from psychology, computer "
            "science, law, accountancy, education, community and youth work, business, "
            "criminology and policing, and its public engagement team, have taken part, and it "
            "funded the first stage of the research."
        ),
    },
    {
        "slug": "university-of-leicester",
        "name": "University of Leicester",
        "kind": K.UNIVERSITY,
        "is_member": True,
        "description": (
            "One of the eight East Midlands universities in the collaboration; its researchers "
            "are listed for work on early intervention."
        ),
    },
    {
        "slug": "loughborough-university",
        "name": "Loughborough University",
        "kind": K.UNIVERSITY,
        "is_member": True,
        "description": (
            "One of the eight East Midlands universities in the collaboration. Its researchers "
            "study how local communities and resilience forums coped with COVID-19 and what "
            "low-crime areas can teach prevention elsewhere."
        ),
    },
    {
        "slug": "university-of-lincoln",
        "name": "University of Lincoln",
        "kind": K.UNIVERSITY,
        "is_member": True,
        "description": "One of the eight East Midlands universities in the collaboration.",
    },
    {
        "slug": "university-of-nottingham",
        "name": "University of Nottingham",
        "kind": K.UNIVERSITY,
        "is_member": True,
        "description": (
            "One of the eight East Midlands universities in the collaboration; its researchers "
            "are exploring a regional problem profile of modern slavery and human trafficking."
        ),
    },
    {
        "slug": "nottingham-trent-university",
        "name": "Nottingham Trent University",
        "short_name": "NTU",
        "kind": K.UNIVERSITY,
        "is_member": True,
        "description": (
            "One of the eight East Midlands universities in the collaboration; its researchers "
            "are listed for work on understanding demand on policing."
        ),
    },
    {
        "slug": "university-of-northampton",
        "name": "University of Northampton",
        "kind": K.UNIVERSITY,
        "is_member": True,
        "description": (
            "One of the eight East Midlands universities in the collaboration; one of its staff "
            "has begun work with EMSOU on transnational policing."
        ),
    },
    {
        "slug": "sheffield-hallam-university",
        "name": "Sheffield Hallam University",
        "kind": K.UNIVERSITY,
        "description": (
            "A university outside the collaboration whose researchers the organisational "
            "adaptability report proposes to involve in its evidence on transnational policing."
        ),
    },
    {
        "slug": "cardiff-university",
        "name": "Cardiff University",
        "kind": K.UNIVERSITY,
        "description": (
            "A university outside the region whose researchers the community resilience report "
            "lists for work on early intervention."
        ),
    },
    {
        "slug": "uk-cabinet-office",
        "name": "UK Cabinet Office",
        "kind": K.OTHER,
        "description": (
            "The government department whose 2018 assessment of serious and organised crime the "
            "reports cite, and which funds research on how communities weathered COVID-19."
        ),
    },
    {
        "slug": "hmic",
        "name": "Her Majesty's Inspectorate of Constabulary",
        "short_name": "HMIC",
        "kind": K.OTHER,
        "description": (
            "The police inspectorate that examined the regional organised crime units in 2015 "
            "and singled out EMSOU. The press article calls it “Her Majesty’s Inspectorate of "
            "Constabularies”."
        ),
    },
    {
        "slug": "national-crime-agency",
        "name": "National Crime Agency",
        "kind": K.OTHER,
        "description": (
            "The national law enforcement agency; regional organised crime units connect the "
            "police forces with it."
        ),
    },
    {
        "slug": "economic-and-social-research-council",
        "name": "Economic and Social Research Council",
        "short_name": "ESRC",
        "kind": K.OTHER,
        "description": (
            "A research funder named as one source of the long-term investment the "
            "collaboration hopes to win."
        ),
    },
    {
        "slug": "crimestoppers",
        "name": "Crimestoppers",
        "kind": K.OTHER,
        "description": (
            "Its past campaigns are part of the evidence the community resilience report wants "
            "mapped."
        ),
    },
    {
        "slug": "neighbourhood-watch",
        "name": "Neighbourhood Watch",
        "kind": K.OTHER,
        "description": (
            "Its past campaigns are part of the evidence the community resilience report wants "
            "mapped."
        ),
    },
    {
        "slug": "regional-vulnerability-forum",
        "name": "Regional Vulnerability Forum",
        "kind": K.OTHER,
        "description": (
            "The regional forum at which a problem profile of modern slavery and human "
            "trafficking was discussed."
        ),
    },
]

PEOPLE = [
    {
        "slug": "dave-walsh",
        "honorific": "Professor",
        "name": "Dave Walsh",
        "organisation": "de-montfort-university",
        "biography": (
            "Academic lead for the collaboration's research on serious and organised crime, "
            "based at De Montfort University, and the contact for anyone wishing to contribute."
        ),
    },
    {
        "slug": "chris-haward",
        "honorific": "DCC",
        "name": "Chris Haward",
        "organisation": "emsou",
        "biography": (
            "Deputy Chief Constable at EMSOU, named as operational lead in the November and "
            "December 2020 progress reports."
        ),
    },
    {
        "slug": "paul-gibson",
        "honorific": "DCC",
        "name": "Paul Gibson",
        "organisation": "emsou",
        "biography": (
            "Deputy Chief Constable at EMSOU, named as operational lead in the early-2021 news "
            "post."
        ),
    },
    {
        "slug": "hardyal-dhindsa",
        "honorific": "PCC",
        "name": "Hardyal Dhindsa",
        "biography": (
            "Police and Crime Commissioner who signs the progress reports' introductory remarks "
            "as one of the collaboration's strategic leads for the region."
        ),
    },
    {
        "slug": "rachel-swann",
        "honorific": "Chief Constable",
        "name": "Rachel Swann",
        "biography": (
            "Chief Constable who signs the progress reports' introductory remarks as one of the "
            "collaboration's strategic leads for the region."
        ),
    },
    {
        "slug": "craig-paterson",
        "honorific": "Dr",
        "name": "Craig Paterson",
        "organisation": "sheffield-hallam-university",
        "biography": "Researcher proposed as a contributor on transnational policing.",
    },
    {
        "slug": "dick-severn",
        "honorific": "Dr",
        "name": "Dick Severn",
        "organisation": "sheffield-hallam-university",
        "biography": "Researcher proposed as a contributor on transnational policing.",
    },
    {
        "slug": "dave-hill",
        "name": "Dave Hill",
        "organisation": "university-of-northampton",
        "biography": (
            "Proposed as a contributor on transnational policing; he had already started "
            "related work at EMSOU."
        ),
    },
    {
        "slug": "rob-mccusker",
        "honorific": "Professor",
        "name": "Rob McCusker",
        "biography": "Proposed as a contributor on transnational policing.",
    },
    {
        "slug": "dan-sage",
        "honorific": "Dr",
        "name": "Dan Sage",
        "organisation": "loughborough-university",
        "biography": (
            "Leads Cabinet Office funded research on Local Resilience Forums, drawing lessons "
            "from how communities coped with COVID-19."
        ),
    },
    {
        "slug": "mark-lemon",
        "honorific": "Professor",
        "name": "Mark Lemon",
        "organisation": "de-montfort-university",
        "biography": "Cited for evaluations of place-based crime prevention in Leicestershire.",
    },
    {
        "slug": "darren-smith",
        "honorific": "Professor",
        "name": "Darren Smith",
        "organisation": "loughborough-university",
        "biography": (
            "Cited for the People Zone work in Leicestershire, with the Leicestershire OPCC."
        ),
    },
    {
        "slug": "ben-brewster",
        "honorific": "Dr",
        "name": "Ben Brewster",
        "organisation": "university-of-nottingham",
        "biography": (
            "Exploring a regional problem profile of modern slavery and human trafficking."
        ),
    },
    {
        "slug": "kem-mehmet",
        "honorific": "ACC",
        "name": "Kem Mehmet",
        "biography": (
            "Named alongside the Regional Vulnerability Forum, where the problem profile of "
            "modern slavery and human trafficking was discussed."
        ),
    },
    {
        "slug": "housley",
        "honorific": "Supt",
        "name": "Housley",
        "organisation": "lincolnshire-police",
        "biography": (
            "Listed in the community resilience report for work on reducing demand. The report "
            "gives only the surname and “Lincs”."
        ),
    },
    {
        "slug": "kate-hemstock",
        "name": "Kate Hemstock",
        "organisation": "derbyshire-constabulary",
        "biography": (
            "Listed in the community resilience report for work on reducing demand, beside a "
            "Lincolnshire superintendent. The report gives her affiliation only as “Derbys”."
        ),
    },
    {
        "slug": "emma-williams",
        "honorific": "Dr",
        "name": "Emma Williams",
        "biography": "Listed in the community resilience report for work on vulnerability hubs.",
    },
    {
        "slug": "mick-creedon",
        "honorific": "Chief Constable",
        "name": "Mick Creedon",
        "organisation": "derbyshire-constabulary",
        "biography": (
            "Chief Constable of Derbyshire and, in December 2015, the national policing lead for "
            "serious and organised crime; quoted welcoming the inspectorate's view of EMSOU."
        ),
    },
    {
        "slug": "liam-norcliffe",
        "name": "Liam Norcliffe",
        "biography": "Journalist who wrote the December 2015 article on EMSOU's inspection.",
    },
]

R = Report.Kind
P = Report.DatePrecision
_INTERIM_DISAGREEMENT = (
    "The two news posts disagree about the first report in their lists. “Working together on "
    "serious organised crime” gives an “Interim Report December 2019” with the PDF address "
    "https://empac.org.uk/wp-content/uploads/2019/12/DMU-SOC-Dec-2019.pdf; “Growing momentum "
    "in tackling serious organised crime” gives an “Interim Generic Update Report January "
    "2020” in the same place. The sources do not say whether these are one document under two "
    "dates or two documents, so each is recorded as its source gives it and they may be the "
    "same report."
)

REPORTS = [
    {
        "slug": INTERIM_DECEMBER_2019,
        "title": "Interim Report December 2019",
        "kind": R.INTERIM,
        "published_on": datetime.date(2019, 12, 1),
        "date_precision": P.MONTH,
        "source_url": "https://empac.org.uk/wp-content/uploads/2019/12/DMU-SOC-Dec-2019.pdf",
        "summary": (
            "An interim report on the collaboration's work on serious and organised crime, "
            "dated December 2019. The sources give only its title, its date and the address of "
            "its PDF; its contents are not recorded here."
        ),
        "provenance": "Listed in “Working together on serious organised crime”. "
        + _INTERIM_DISAGREEMENT,
        "tags": ["interim report"],
    },
    {
        "slug": INTERIM_JANUARY_2020,
        "title": "Interim Generic Update Report January 2020",
        "kind": R.INTERIM,
        "published_on": datetime.date(2020, 1, 1),
        "date_precision": P.MONTH,
        "summary": (
            "A general interim update on the collaboration's work on serious and organised "
            "crime, dated January 2020. The sources give only its title and date; its contents "
            "are not recorded here."
        ),
        "provenance": "Listed in “Growing momentum in tackling serious organised crime”. "
        + _INTERIM_DISAGREEMENT,
        "tags": ["interim report"],
    },
    {
        "slug": COMMUNITY_RESILIENCE,
        "title": "Community Resilience Progress Report November 2020",
        "kind": R.PROGRESS,
        "published_on": datetime.date(2020, 11, 1),
        "date_precision": P.MONTH,
        "primary_theme": "protection-from-ocgs",
        "themes": ["protection-from-ocgs"],
        "summary": (
            "Makes the case that the region can deny organised crime groups the vulnerability "
            "they exploit by building community resilience, a task for partners and communities "
            "as much as for the police. It brings the relevant evidence and effort together in "
            "one table and makes three recommendations."
        ),
        "body": (
            "According to the Cabinet Office (2018), serious and organised crime touches more "
            "people in the UK than any other national security threat, and much of its harm "
            "falls on vulnerable people and places. The report explains why prevention belongs "
            "beside investigation: the national strategy for 2018–2021 asks for both, section 17 "
            "of the Crime and Disorder Act 1998 obliges local partners such as the police, "
            "probation, health services and councils to work at reducing crime, and the 2016 "
            "Modern Crime Prevention Strategy treats organised crime as a core concern.\n\n"
            "Within EMPAC, practitioners and researchers have been working through these "
            "questions together, with DCC Chris Haward of EMSOU as operational lead and "
            "Professor Dave Walsh of DMU as academic lead. One priority to come out of that "
            "work is protecting individuals and communities by reducing the vulnerability that "
            "organised crime feeds on, county lines being a familiar example.\n\n"
            "The report points to evidence the region already has: Cabinet Office funded "
            "research at Loughborough on how communities coped with COVID-19, evaluations of "
            "place-based and environmental design approaches in Leicestershire, and a regional "
            "problem profile of modern slavery and human trafficking raised at the Regional "
            "Vulnerability Forum. Because organised crime moves between offence types, "
            "community vulnerability is often the common thread, and stronger communities are "
            "offered as the longer-term answer.\n\n"
            "Its argument is that most of this means working differently rather than doing "
            "more: using the partnership forums and Police and Crime Plans that already exist, "
            "applying the evidence consistently, and helping communities spot the early signs "
            "of organised crime, including its return after police action. Much of the data is "
            "public, so research can start straight away. A table lines up twelve approaches "
            "with the activity each needs and who could supply it."
        ),
        "organisations": [
            "emsou",
            "de-montfort-university",
            "loughborough-university",
            "university-of-nottingham",
            "nottingham-trent-university",
            "university-of-leicester",
            "university-of-northampton",
            "cardiff-university",
            "leicestershire-opcc",
            "derbyshire-opcc",
            "lincolnshire-police",
            "derbyshire-constabulary",
            "uk-cabinet-office",
            "crimestoppers",
            "neighbourhood-watch",
            "regional-vulnerability-forum",
        ],
        "provenance": (
            "Listed as “Community Resilience Progress Report November 2020” in “Growing "
            "momentum in tackling serious organised crime”, and twice in “Working together on "
            "serious organised crime”: as “SOC Community Resilience Interim Report November "
            "2020” and as “EMPAC SOC COMMUNITY RESILIENCE Progress Report Nov 2020”. The text "
            "does not name its authors; the introductory remarks are signed by the strategic "
            "leads."
        ),
        "tags": [
            "community resilience",
            "prevention",
            "partnership working",
            "county lines",
            "modern slavery",
        ],
        "recommendations": [
            (
                "We unite our ongoing and previous evidence.",
                "Map the evidence the region already holds and share it, as a first step "
                "towards prevention through community resilience, and use it to spread good "
                "practice and find chances for operational experiments.",
            ),
            (
                "We support the Police and Crime Plans.",
                "Make the Police and Crime Plans, which already bring the prevention partners "
                "together, the main vehicle for prevention, and map the evidence against them "
                "so it guides commissioning, evaluation and trials of community resilience.",
            ),
            (
                "We seek external funding for long-term proactive development in prevention.",
                "Back a joint bid for lasting outside funding that builds on the shared "
                "evidence and lets the region do more prevention research and development.",
            ),
        ],
        # The table "Let's pull it all together: alignment of effort and evidence
        # opportunities", cells verbatim with the PDF's wrapped lines re-joined.
        "alignment_rows": [
            (
                "Place based evaluations",
                "Ongoing evidence-based social geography evaluations and scoping",
                "Existing findings for sharing\nDMU / Loughborough / Leicestershire OPCC",
            ),
            (
                "Local policing & intelligence operations / campaigns",
                "Latent evidence base to be mapped and mined:- Crimestoppers & Neighbourhood "
                "Watch campaigns; Project Servitor (CT learning); MS / HT (car washes etc)",
                "Review of variety of previous initiatives could be supported via student / "
                "Intern projects",
            ),
            (
                "Public media",
                "Apply, and develop further, the evidence base for public media campaigns "
                "(social responsibility etc)",
                "Media researchers to be identified",
            ),
            (
                "Police and Crime Plans",
                "Review, mapped against evidence base in preventing SOC",
                "Supported by student / intern projects",
            ),
            (
                "Section 17 Partnerships",
                "Need challenging, and refreshing, to combat SOC via prevention plans",
                "Agenda item for forum for discussion; mapping exercise of EM regional approaches",
            ),
            (
                "SOC risk factor identification",
                "Evidence base needs applying for agency and community adoption",
                "Student / Intern potential",
            ),
            (
                "COVID-19 Community resilience",
                "Linking the evidence base to inform future continuity of best practice",
                "Loughborough University researchers",
            ),
            (
                "Super output vs zero output analysis",
                "Evidence base of low crime areas to inform prevention in higher crime "
                "environments, to complement Safer Streets type initiatives",
                "Loughborough University researchers / Derbyshire OPCC",
            ),
            (
                "MS / HT Problem Profile",
                "Align the effort to focus on reducing community vulnerability via greater "
                "resilience approaches (not just single crime type focus)",
                "Nottingham University & DMU researchers",
            ),
            (
                "Reducing demand",
                "Align effort with FMS Understanding Demand (BCU level application)",
                "Supt Housley (Lincs), Kate Hemstock (Derbys); NTU researchers",
            ),
            (
                "Vulnerability hubs",
                "Align knowledge base across various strands and map against evidence base",
                "Various existing force leads; Dr Emma Williams",
            ),
            (
                "Explore opportunities to widen and enhance early intervention",
                "Align to ongoing work to develop evidence base in PSHE towards CountyLines "
                "vulnerability / reduction",
                "Children’s Trust, Safeguarding Board, Youth Offending Service, Leicester "
                "University researchers, Cardiff University researchers; Northampton University "
                "researchers",
            ),
        ],
    },
    {
        "slug": ORGANISATIONAL_ADAPTABILITY,
        "title": "Organisational Adaptability Progress Report December 2020",
        "kind": R.PROGRESS,
        "published_on": datetime.date(2020, 12, 1),
        "date_precision": P.MONTH,
        "primary_theme": "agile-law-enforcement-mindset",
        "themes": ["agile-law-enforcement-mindset"],
        "summary": (
            "Looks at the gap in adaptability between policing and organised crime groups, sets "
            "the two side by side in its “Mind the gap” table, picks out red teaming as a "
            "technique worth testing, and makes four recommendations."
        ),
        "body": (
            "The report starts from the national picture. The Cabinet Office found in 2018 that "
            "serious and organised crime reaches more people in the UK, and more often, than "
            "any other national security threat, and it costs the country at least £37 billion "
            "a year. The national response is to stop people getting involved, to shield "
            "victims, organisations and systems, and to be ready to limit the damage when "
            "crime does happen.\n\n"
            "Its subject is adaptability. Policing operates under dense regulation and mostly "
            "through command and control; organised crime groups are looser and quicker to "
            "change course. The joint research suggests that the police are often caught out, "
            "while criminal groups seem able to predict how the police will respond. Knowing "
            "both the criminal market and policing's own constraints is the starting point, "
            "and the practical experience of policing across borders is offered as a source of "
            "more flexible methods. Leaving the gap unaddressed, the report warns, would leave "
            "policing trailing a nimble and enterprising opponent.\n\n"
            "By this stage more than 1,000 hours of academic and police time had gone into the "
            "work, helped by early funding from De Montfort University. The report proposes "
            "bringing in more researchers, among them Drs Craig Paterson and Dick Severn of "
            "Sheffield Hallam, Dave Hill of the University of Northampton and Professor Rob "
            "McCusker, together with the view from neighbourhood policing and force "
            "intelligence. It singles out red teaming, a method from military, intelligence "
            "and business settings that asks people to think as their opponent would, as worth "
            "examining and perhaps trialling once the groundwork is done. The longer aim is "
            "steady research funding from bodies such as the Economic and Social Research "
            "Council."
        ),
        "organisations": [
            "emsou",
            "de-montfort-university",
            "sheffield-hallam-university",
            "university-of-northampton",
            "economic-and-social-research-council",
            "uk-cabinet-office",
        ],
        "provenance": (
            "Listed as “Organisational Adaptability Progress Report December 2020” in “Growing "
            "momentum in tackling serious organised crime”, and twice in “Working together on "
            "serious organised crime”: as “Policing Organisational Adaptability Interim Report "
            "December 2020” and as “EMPAC SOC ORGANISATIONAL ADAPTABILITY Progress Report”. "
            "The text does not name its authors; the introductory remarks are signed by the "
            "strategic leads."
        ),
        "tags": ["adaptability", "red teaming", "gap analysis", "research funding"],
        "recommendations": [
            (
                "We share what we have done so far.",
                "Make the joint research led by DCC Haward and Professor Walsh widely "
                "available, with the backing of the region's forces, so that others can build "
                "on it; putting the reports on the EMPAC website gives police and academic "
                "colleagues easy access.",
            ),
            (
                "We get the best evidence.",
                "Involve further researchers and practitioners so that the evidence is as "
                "strong as it can be and reflects the particular conditions of the region.",
            ),
            (
                "We try things out.",
                "Look early for chances to experiment and learn, such as embedding red "
                "teaming, and weigh the resources and cost of each promising trial on its own "
                "merits.",
            ),
            (
                "We bring in sustainable funding.",
                "Form a team to write research bids, with EMPAC as a bidding partner, DMU "
                "leading the bid, and other centres of expertise joining where they add "
                "breadth or depth.",
            ),
        ],
    },
    {
        "slug": INTELLIGENCE,
        "title": "Intelligence Progress Report February 2021",
        "kind": R.PROGRESS,
        "published_on": datetime.date(2021, 2, 1),
        "date_precision": P.MONTH,
        "summary": (
            "A progress report on intelligence, dated February 2021. The sources give only its "
            "title and date; its contents are not recorded here."
        ),
        "provenance": (
            "Known only from the two news posts' report lists: “Intelligence Progress Report "
            "February 2021” in “Growing momentum in tackling serious organised crime”, and "
            "“Policing Use of Intelligence Interim Report February 2021” and “EMPAC SOC "
            "INTELLIGENCE Progress Report” in “Working together on serious organised crime”. "
            "No text of the report is among the sources, so it has no summary of its findings "
            "and no theme."
        ),
        "tags": ["intelligence"],
    },
    {
        "slug": NEWS_MOMENTUM,
        "title": "Growing momentum in tackling serious organised crime",
        "kind": R.NEWS,
        "published_on": datetime.date(2021, 1, 1),
        "date_precision": P.YEAR,
        "themes": [theme["slug"] for theme in THEMES],
        "summary": (
            "An update from early 2021 on the joint police and academic work on serious and "
            "organised crime: who leads it, the six priorities the region has chosen, the "
            "disciplines taking part at De Montfort University, and the reports so far."
        ),
        "body": (
            "The post recalls why the work matters: the Cabinet Office found in 2018 that "
            "organised crime affects more people in the UK, and more often, than any other "
            "national security threat, at a cost of at least £37 billion a year. The work is "
            "led jointly by DCC Paul Gibson of EMSOU as operational lead and Professor Dave "
            "Walsh of De Montfort University as academic lead.\n\n"
            "EMSOU is already strong at pursuing offenders through prosecution and disruption. "
            "The collaboration sets out to add fresh thinking and tactics for keeping people "
            "out of organised crime, protecting those it targets and softening its impact, "
            "looking across crime types for the common factors that make people vulnerable.\n\n"
            "At De Montfort, psychology, computer science, law, accountancy, education, "
            "community and youth work, business, criminology and policing, along with the "
            "public engagement team, are working with police specialists in organised crime. "
            "The group keeps meeting to ask what policing does not yet know and how best to "
            "find out, and plans a joint bid for outside research funding during 2021. People "
            "with relevant expertise are invited to contact Professor Walsh."
        ),
        "organisations": ["emsou", "de-montfort-university", "uk-cabinet-office"],
        "listed_reports": [
            INTERIM_JANUARY_2020,
            COMMUNITY_RESILIENCE,
            ORGANISATIONAL_ADAPTABILITY,
            INTELLIGENCE,
        ],
        "provenance": (
            "The post is undated. It is placed in 2021 because it names DCC Paul Gibson as "
            "operational lead where the December 2020 report still named DCC Chris Haward, it "
            "lists the February 2021 Intelligence report, and it speaks of bidding for funding "
            "in 2021. Its report list begins with an “Interim Generic Update Report January "
            "2020” where the other news post has an “Interim Report December 2019”."
        ),
        "tags": ["research collaboration", "research funding"],
    },
    {
        "slug": NEWS_WORKING_TOGETHER,
        "title": "Working together on serious organised crime",
        "kind": R.NEWS,
        "published_on": datetime.date(2021, 1, 1),
        "date_precision": P.YEAR,
        "themes": [theme["slug"] for theme in THEMES],
        "summary": (
            "Explains why EMSOU and De Montfort University are working together on serious and "
            "organised crime, sets out the region's six priorities in full, and lists the "
            "reports published so far."
        ),
        "body": (
            "Organised crime costs the UK at least £37 billion a year. In the East Midlands, "
            "EMSOU is working with academic departments across De Montfort University to "
            "support the national Serious Organised Crime Strategy and to help the region get "
            "ahead of criminal enterprise instead of following it. Combining police experience "
            "with a wide range of academic disciplines is meant to produce new ideas for "
            "protecting victims and bringing offenders to justice.\n\n"
            "DMU leads the academic side, but as an EMPAC partner it welcomes the other "
            "universities of the region, so that their expertise adds breadth and depth. Events "
            "continue, and researchers and practitioners who could contribute are encouraged to "
            "take part."
        ),
        "organisations": ["emsou", "de-montfort-university"],
        "listed_reports": [
            INTERIM_DECEMBER_2019,
            COMMUNITY_RESILIENCE,
            ORGANISATIONAL_ADAPTABILITY,
            INTELLIGENCE,
        ],
        "provenance": (
            "The post is undated. It lists reports up to February 2021, so it is placed in "
            "2021. Its report list begins with an “Interim Report December 2019” and its PDF "
            "address where the other news post has an “Interim Generic Update Report January "
            "2020”, and it names each progress report twice, once as an interim report and "
            "once as a progress report."
        ),
        "tags": ["research collaboration", "regional universities"],
    },
    {
        "slug": PRESS_2015,
        "title": "East Midlands crime unit leads the way nationally, according to new report",
        "kind": R.PRESS,
        "published_on": datetime.date(2015, 12, 2),
        "date_precision": P.DAY,
        "authors": ["liam-norcliffe"],
        "summary": (
            "A December 2015 news article on the police inspectorate's finding that EMSOU was "
            "the most advanced of the regional organised crime units in England and Wales."
        ),
        "body": (
            "Her Majesty's Inspectorate of Constabulary inspected the regional organised crime "
            "units (ROCUs) in 2015. The article reports that it found the East Midlands unit, "
            "EMSOU, to have the widest range of critical capabilities, surveillance and "
            "cyber-crime investigation among them, and that, unlike the other nine units, it "
            "also investigates major crime such as murder and kidnap.\n\n"
            "ROCUs tackle organised crime groups that operate across force boundaries, support "
            "other investigations and link the forces with the National Crime Agency. EMSOU "
            "began as a covert unit in 2002 and grew to combine officers and specialist staff "
            "from Derbyshire, Leicestershire, Lincolnshire, Northamptonshire and "
            "Nottinghamshire. With more than 1,400 officers and staff it has more people per "
            "head of population than any other ROCU; it is one of only two that provide all 13 "
            "capabilities, and one of two whose chief officer works on the unit full time. The "
            "inspectorate presented it as a model other regions could follow.\n\n"
            "Chief Constable Mick Creedon of Derbyshire, then national policing lead for "
            "serious and organised crime, credited the commitment and skill of everyone who had "
            "worked in EMSOU over its 13 years."
        ),
        "organisations": [
            "emsou",
            "hmic",
            "national-crime-agency",
            "derbyshire-constabulary",
            "leicestershire-police",
            "lincolnshire-police",
            "northamptonshire-police",
            "nottinghamshire-police",
        ],
        "provenance": (
            "Article by Liam Norcliffe dated Wednesday 2 December 2015; the publication is not "
            "named in the text held. It calls the inspectorate “Her Majesty’s Inspectorate of "
            "Constabularies” and expands EMSOU as “East Midlands Specialist Operations Unit”, "
            "where the collaboration's documents say “East Midlands Special Operations Unit”."
        ),
        "tags": ["HMIC", "EMSOU", "regional organised crime units"],
    },
]

_HANDOVER = datetime.date(2021, 1, 1)
_CR_NAMED = "Named in the November 2020 Community Resilience progress report; dates not stated."
_OA_NAMED = (
    "Named in the December 2020 Organisational Adaptability progress report; dates not stated."
)
_STRATEGIC = (
    "Signs the introductory remarks of the November and December 2020 progress reports; "
    "start and end dates not stated."
)
RK = Role.Kind
ROLES = [
    {
        "person": "chris-haward",
        "kind": RK.OPERATIONAL_LEAD,
        "title": "Operational lead for the serious and organised crime research",
        "organisation": "emsou",
        "end_date": _HANDOVER,
        "dates_note": (
            "Named as operational lead in the November and December 2020 progress reports; "
            "by the early-2021 news post DCC Paul Gibson held the role. The exact handover "
            "date is not stated, so the role is taken to end at the start of 2021."
        ),
        "source": COMMUNITY_RESILIENCE,
    },
    {
        "person": "paul-gibson",
        "kind": RK.OPERATIONAL_LEAD,
        "title": "Operational lead for the serious and organised crime research",
        "organisation": "emsou",
        "start_date": _HANDOVER,
        "dates_note": (
            "Named as operational lead in the undated early-2021 news post. The exact handover "
            "date is not stated, so the role is taken to start at the beginning of 2021."
        ),
        "source": NEWS_MOMENTUM,
    },
    {
        "person": "dave-walsh",
        "kind": RK.ACADEMIC_LEAD,
        "title": "Academic lead for the serious and organised crime research",
        "organisation": "de-montfort-university",
        "dates_note": (
            "Named as academic lead in the November and December 2020 progress reports and the "
            "early-2021 news post; start date not stated."
        ),
        "source": COMMUNITY_RESILIENCE,
    },
    {
        "person": "hardyal-dhindsa",
        "kind": RK.STRATEGIC_LEAD,
        "title": "Strategic EMPAC lead on behalf of the East Midlands Region",
        "dates_note": _STRATEGIC,
        "source": COMMUNITY_RESILIENCE,
    },
    {
        "person": "rachel-swann",
        "kind": RK.STRATEGIC_LEAD,
        "title": "Strategic EMPAC lead on behalf of the East Midlands Region",
        "dates_note": _STRATEGIC,
        "source": COMMUNITY_RESILIENCE,
    },
]
_RESEARCHERS = [
    # (person, organisation, theme, what the report names them for, source report)
    ("craig-paterson", "sheffield-hallam-university", "agile-law-enforcement-mindset",
     "Proposed contributor to the transnational policing evidence base",
     ORGANISATIONAL_ADAPTABILITY),
    ("dick-severn", "sheffield-hallam-university", "agile-law-enforcement-mindset",
     "Proposed contributor to the transnational policing evidence base",
     ORGANISATIONAL_ADAPTABILITY),
    ("dave-hill", "university-of-northampton", "agile-law-enforcement-mindset",
     "Proposed contributor to the transnational policing evidence base; linked work at EMSOU",
     ORGANISATIONAL_ADAPTABILITY),
    ("rob-mccusker", None, "agile-law-enforcement-mindset",
     "Proposed contributor to the transnational policing evidence base",
     ORGANISATIONAL_ADAPTABILITY),
    ("dan-sage", "loughborough-university", "protection-from-ocgs",
     "Cabinet Office funded research on Local Resilience Forums", COMMUNITY_RESILIENCE),
    ("mark-lemon", "de-montfort-university", "protection-from-ocgs",
     "Place-based evaluation in Leicestershire", COMMUNITY_RESILIENCE),
    ("darren-smith", "loughborough-university", "protection-from-ocgs",
     "People Zone, with the Leicestershire OPCC", COMMUNITY_RESILIENCE),
    ("ben-brewster", "university-of-nottingham", "protection-from-ocgs",
     "Regional problem profile of modern slavery and human trafficking",
     COMMUNITY_RESILIENCE),
    ("kem-mehmet", "regional-vulnerability-forum", "protection-from-ocgs",
     "Named with the Regional Vulnerability Forum's discussion of the problem profile",
     COMMUNITY_RESILIENCE),
    ("housley", "lincolnshire-police", "protection-from-ocgs",
     "Reducing demand (alignment table)", COMMUNITY_RESILIENCE),
    ("kate-hemstock", "derbyshire-constabulary", "protection-from-ocgs",
     "Reducing demand (alignment table)", COMMUNITY_RESILIENCE),
    ("emma-williams", None, "protection-from-ocgs",
     "Vulnerability hubs (alignment table)", COMMUNITY_RESILIENCE),
]  # fmt: skip
ROLES += [
    {
        "person": person,
        "kind": RK.RESEARCHER,
        "title": title,
        "organisation": organisation,
        "theme": theme,
        "dates_note": _OA_NAMED if source == ORGANISATIONAL_ADAPTABILITY else _CR_NAMED,
        "source": source,
    }
    for person, organisation, theme, title, source in _RESEARCHERS
]

KG = KnowledgeGap.Status
GAP_ANALYSES = [
    {
        "slug": "mind-the-gap",
        "title": "Mind the gap",
        "report": ORGANISATIONAL_ADAPTABILITY,
        "themes": ["agile-law-enforcement-mindset"],
        "summary": (
            "Sets policing and organised crime groups side by side on three dimensions – how "
            "each is organised, what it looks at, and how it works day to day – to show why "
            "criminal groups adapt faster, and lists what the collaboration still needs to "
            "find out."
        ),
        "table_caption": (
            "Table 1. Mind the gap: the difference between policing and crime adaptabilities"
        ),
        "first_side": "Police",
        "second_side": "OCG",
        "comparison_rows": [
            (
                "Organisational character",
                [
                    "Rule bound",
                    "Non-entrepreneurial",
                    "Structured",
                    "Responding to public expectations",
                    "Political",
                    "Risk averse",
                    "Specialist units",
                    "Siloed approaches",
                    "Command and control",
                ],
                [
                    "Agile",
                    "Entrepreneurial",
                    "Flexible",
                    "De-centred",
                    "Not constrained by rules, borders, etc",
                    "Promiscuous partnering for common objectives",
                ],
            ),
            (
                "Focus",
                ["Reactive", "Historical", "Short term future horizon"],
                ["Forward-looking", "Horizon-scanning", "Seek vulnerabilities for exploitation"],
            ),
            (
                "Operational",
                [
                    "Tried and tested",
                    "Stifled creativity",
                    "Constrained out of the box thinking",
                    "No resource for critical reflection",
                    "Non-experimental",
                ],
                [
                    "Adapt to technological changes",
                    "Creative",
                    "Adaptive",
                    "Rapid",
                    "Outsource specialisms",
                    "Franchise",
                ],
            ),
        ],
        # (question, detail, theme, status)
        "knowledge_gaps": [
            (
                "How can policing narrow the gap in adaptability between itself and organised "
                "crime groups?",
                "The organisational adaptability report finds that the police are often taken "
                "by surprise while criminal groups anticipate police tactics; how to win back "
                "some of that initiative is still open.",
                "agile-law-enforcement-mindset",
                KG.IDENTIFIED,
            ),
            (
                "Could red teaming be trialled in the East Midlands, and what preparation would "
                "a trial need?",
                "Red teaming has been picked out as a tactic worth examining and possibly "
                "trialling; the report says some groundwork is needed first and that the cost "
                "of any trial would be weighed case by case.",
                "agile-law-enforcement-mindset",
                KG.SCOPED,
            ),
            (
                "What can the practical experience of transnational policing teach the region "
                "about monitoring organised crime groups more flexibly?",
                "Researchers at Sheffield Hallam and Northampton and Professor Rob McCusker are "
                "proposed to widen this evidence base, and linked work has already begun at "
                "EMSOU.",
                "international-links",
                KG.BEING_RESEARCHED,
            ),
            (
                "How are national and international organised crime networks active in the "
                "region connected?",
                "The early-2021 news post describes the police and academic team as looking "
                "for more knowledge about these links.",
                "international-links",
                KG.BEING_RESEARCHED,
            ),
            (
                "Which new crime types and criminal business models should policing prepare for?",
                "The early-2021 news post counts crime types yet to emerge, and staying a step "
                "in front of criminal entrepreneurs, among the team's lines of enquiry.",
                "ocg-business-models",
                KG.BEING_RESEARCHED,
            ),
            (
                "What does policing not yet know about serious and organised crime, and how can "
                "it find out quickly?",
                "The general question the group keeps returning to, according to the early-2021 "
                "news post: where the knowledge gaps are and the most agile way to fill them. "
                "It cuts across all six themes.",
                "agile-law-enforcement-mindset",
                KG.IDENTIFIED,
            ),
        ],
    },
]


class SeedError(Exception):
    """The seed data itself is invalid; nothing from the run is saved."""


@dataclass
class SeedResult:
    """What a run did, counted by model."""

    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)
    # Seeded once, since deleted by a curator, and so left deleted.
    deleted: Counter = field(default_factory=Counter)
    # Recreated by --restore after a curator deleted them.
    restored: Counter = field(default_factory=Counter)
    # Not restored because a curator's object now holds the natural key.
    blocked: Counter = field(default_factory=Counter)

    @property
    def created_total(self) -> int:
        return sum(self.created.values())

    def summary(self) -> str:
        parts = [
            f"created {_counted(self.created)}" if self.created else "nothing to create",
        ]
        if self.restored:
            parts.append(f"restored {_counted(self.restored)}")
        parts.append(f"{sum(self.existing.values())} existing objects left alone")
        deleted = sum(self.deleted.values())
        hint = " (seed_empac --restore recreates them)" if deleted else ""
        parts.append(f"{deleted} skipped because a curator deleted them{hint}")
        if self.blocked:
            parts.append(
                f"{sum(self.blocked.values())} not restored because other objects now hold "
                f"their slugs or numbers ({_counted(self.blocked)})"
            )
        return f"EMPAC content: {'; '.join(parts)}."


def _counted(counter: Counter) -> str:
    return ", ".join(
        f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
        for model, count in counter.items()
    )


class _Seeder:
    def __init__(self, *, restore: bool = False):
        self.restore = restore
        self.result = SeedResult()
        self.records = {(r.model, r.key): r for r in SeedRecord.objects.all()}
        # Objects some record stands for: a restore must not take one over for another key.
        self.claimed = {(r.model, r.object_id) for r in self.records.values()}
        self.themes: dict[str, Theme | None] = {}
        self.organisations: dict[str, Organisation | None] = {}
        self.people: dict[str, Person | None] = {}
        self.reports: dict[str, Report | None] = {}

    def ensure(self, model, seed_key: str, lookups, **fields):
        """Return (object, whether this run made it) for what the seed knows as ``seed_key``.

        An object seeded before is returned as it is, whatever a curator has done to it; one
        a curator deleted comes back as None (or is recreated, with --restore). An object
        never recorded is looked up by each of ``lookups`` (tuples of field names) and
        adopted if found, as in databases seeded before records were kept; else created.
        """
        label = model._meta.label_lower
        record = self.records.get((label, seed_key))
        if record is not None:
            found = model.objects.filter(pk=record.object_id).first()
            if found is not None:
                self.result.existing[model] += 1
                return found, False
            if not self.restore:
                self.result.deleted[model] += 1
                return None, False

        taken = False
        for lookup in lookups:
            found = model.objects.filter(**{name: fields[name] for name in lookup}).first()
            if found is None:
                continue
            if record is not None and (label, found.pk) in self.claimed:
                # Another seeded object sits there now, e.g. a renumbered recommendation.
                taken = True
                continue
            self._remember(model, seed_key, found, record)
            self.result.existing[model] += 1
            return found, False
        if taken:
            self.result.blocked[model] += 1
            return None, False

        obj = model(**fields)
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise SeedError(
                f"{model._meta.verbose_name} ({self._describe(lookups[0], fields)}): "
                f"{'; '.join(exc.messages)}"
            ) from exc
        obj.save()
        self._remember(model, seed_key, obj, record)
        (self.result.restored if record is not None else self.result.created)[model] += 1
        return obj, True

    def _remember(self, model, seed_key, obj, record) -> None:
        label = model._meta.label_lower
        if record is None:
            record = SeedRecord(model=label, key=seed_key)
            self.records[(label, seed_key)] = record
        record.object_id = obj.pk
        record.save()
        self.claimed.add((label, obj.pk))

    @staticmethod
    def _describe(lookup, fields) -> str:
        return ", ".join(f"{name}={fields[name]}" for name in lookup)

    def run(self) -> SeedResult:
        published = {"status": Status.PUBLISHED}
        for data in THEMES:
            self.themes[data["slug"]], _ = self.ensure(
                Theme, data["slug"], [("slug",), ("position",)], **data, **published
            )
        for data in ORGANISATIONS:
            self.organisations[data["slug"]], _ = self.ensure(
                Organisation, data["slug"], [("slug",), ("name",)], **data, **published
            )
        for data in PEOPLE:
            data = {**data, "organisation": self.organisations.get(data.get("organisation"))}
            self.people[data["slug"]], _ = self.ensure(
                Person, data["slug"], [("slug",)], **data, **published
            )
        for data in REPORTS:
            self.seed_report(dict(data))
        for data in ROLES:
            self.seed_role(data)
        for data in GAP_ANALYSES:
            self.seed_gap_analysis(dict(data))
        return self.result

    def seed_role(self, data: dict) -> None:
        person = self.people[data["person"]]
        theme = self.themes.get(data.get("theme"))
        if person is None or (data["kind"] == Role.Kind.THEME_LEAD and theme is None):
            return  # What it belongs to was deleted, and the role went with it.
        self.ensure(
            Role,
            f"{data['person']}/{data['kind']}",
            [("person", "kind")],
            **{
                **data,
                "person": person,
                "organisation": self.organisations.get(data.get("organisation")),
                "theme": theme,
                "source": self.reports[data["source"]],
            },
        )

    def seed_report(self, data: dict) -> None:
        slug = data["slug"]
        relations = {
            "themes": [self.themes[s] for s in data.pop("themes", [])],
            "authors": [self.people[s] for s in data.pop("authors", [])],
            "organisations": [self.organisations[s] for s in data.pop("organisations", [])],
            "listed_reports": [self.reports[s] for s in data.pop("listed_reports", [])],
        }
        tags = data.pop("tags", [])
        recommendations = data.pop("recommendations", [])
        alignment_rows = data.pop("alignment_rows", [])
        data["primary_theme"] = self.themes.get(data.pop("primary_theme", None))
        report, made = self.ensure(
            Report, slug, [("slug",), ("title",)], **data, status=Status.PUBLISHED
        )
        self.reports[slug] = report
        if report is None:
            return  # Deleted by a curator, with its recommendations and table.
        if made:
            for name, objects in relations.items():
                getattr(report, name).set([obj for obj in objects if obj is not None])
            report.tags.add(*tags)
        for number, (heading, explanation) in enumerate(recommendations, start=1):
            self.ensure(
                Recommendation,
                f"{slug}/{number}",
                # The heading first: a curator may have renumbered the recommendations.
                [("report", "heading"), ("report", "number")],
                report=report,
                number=number,
                heading=heading,
                explanation=explanation,
            )
        for position, (approach, activity, asset) in enumerate(alignment_rows, start=1):
            self.ensure(
                AlignmentRow,
                f"{slug}/{position}",
                [("report", "position")],
                report=report,
                position=position,
                approach=approach,
                activity=activity,
                asset=asset,
            )

    def seed_gap_analysis(self, data: dict) -> None:
        slug = data["slug"]
        themes = [self.themes[s] for s in data.pop("themes")]
        rows = data.pop("comparison_rows")
        gaps = data.pop("knowledge_gaps")
        data["report"] = self.reports[data["report"]]
        analysis, made = self.ensure(
            GapAnalysis, slug, [("slug",)], **data, status=Status.PUBLISHED
        )
        if analysis is None:
            return
        if made:
            analysis.themes.set([theme for theme in themes if theme is not None])
        for position, (dimension, first, second) in enumerate(rows, start=1):
            self.ensure(
                ComparisonRow,
                f"{slug}/{position}",
                [("analysis", "position")],
                analysis=analysis,
                position=position,
                dimension=dimension,
                first_side_items="\n".join(first),
                second_side_items="\n".join(second),
            )
        for position, (question, detail, theme, status) in enumerate(gaps, start=1):
            self.ensure(
                KnowledgeGap,
                f"{slug}/{position}",
                [("analysis", "position")],
                analysis=analysis,
                position=position,
                question=question,
                detail=detail,
                theme=self.themes[theme],
                status=status,
            )


def load_seed(*, restore: bool = False) -> SeedResult:
    """Create the EMPAC content never seeded before, in one transaction; change nothing else.

    With ``restore``, also recreate seeded objects that a curator has since deleted.
    """
    with transaction.atomic():
        result = _Seeder(restore=restore).run()
        if result.created or result.restored:
            # Retire cached public pages in the same transaction as the new content.
            bump_content_version()
    return result
