"""SeedRecord.values, and the values the seed wrote before it kept them.

Issue 13 corrected the EMPAC content: wording that said more than its source, statuses and
themes no source gives, and three knowledge gaps moved from the "Mind the gap" analysis to
the news post that raises them. The seed replaces a field only while it still holds what the
seed last wrote there, so a curator's edit is never overwritten. Databases seeded before
records kept their values get here the values the earlier seed wrote, for exactly the
fields the correction changes; ``seed_empac`` then corrects those still unedited. A reference
to another seeded object is written ("ref", model, key) and resolved through its record.
"""

from django.db import migrations, models

# Seed keys the correction renamed: the three gaps the news post raises.
RENAMED = {
    ("reports.knowledgegap", "mind-the-gap/4"): "growing-momentum-in-tackling-serious-organised-crime/1",
    ("reports.knowledgegap", "mind-the-gap/5"): "growing-momentum-in-tackling-serious-organised-crime/2",
    ("reports.knowledgegap", "mind-the-gap/6"): "growing-momentum-in-tackling-serious-organised-crime/3",
}

# (model label, seed key) → field attname → the value the earlier seed wrote.
AS_SEEDED = {
    ('collaboration.theme', 'international-links'): {
        'description': 'Organised crime in the East Midlands seldom stops at the regional or national border. This theme looks at how groups active in the region connect with networks elsewhere in the UK and overseas, and what those connections mean for investigating and disrupting them.',
    },
    ('collaboration.theme', 'ocg-business-models'): {
        'description': 'Organised crime groups behave like enterprises: they move into new markets and change how they operate. This theme studies those markets and models so that policing can anticipate the next move rather than react to the last one.',
    },
    ('collaboration.theme', 'protection-from-ocgs'): {
        'description': 'Organised crime feeds on vulnerability, as county lines exploitation shows. This theme asks how people and neighbourhoods can be made harder to recruit or target, with partner agencies and communities themselves sharing the work of prevention.',
    },
    ('collaboration.theme', 'what-works'): {
        'description': 'Prevention, disruption and other counter-measures all take effort, and not all of them succeed. This theme is about measuring which approaches really do prevent, disrupt and detect organised crime, so that effort goes where it makes a difference.',
    },
    ('collaboration.theme', 'agile-law-enforcement-mindset'): {
        'description': 'Policing works within rules, structures and chains of command, while criminal groups change course quickly and opportunistically. This theme explores how law enforcement could become more flexible and forward-looking, for instance by testing techniques such as red teaming.',
    },
    ('collaboration.organisation', 'derbyshire-constabulary'): {
        'description': 'One of the five East Midlands police forces in the collaboration and one of the forces whose officers and staff make up EMSOU. In 2015 its Chief Constable was the national policing lead for serious and organised crime.',
    },
    ('collaboration.organisation', 'derbyshire-opcc'): {
        'description': "The Derbyshire commissioner's office, a member of the collaboration. The community resilience report lists it with Loughborough University researchers as a partner for studying why some areas have very little crime.",
    },
    ('collaboration.organisation', 'leicestershire-opcc'): {
        'description': "The Leicestershire commissioner's office, a member of the collaboration. It took part in evaluating place-based crime prevention in Leicestershire, findings the community resilience report proposes to share.",
    },
    ('collaboration.organisation', 'emsou'): {
        'description': "The regional organised crime unit for the East Midlands and the operational partner in the collaboration's work on serious and organised crime. It started in 2002 as a covert unit and grew to bring together officers and specialist staff from the five forces; by 2015 it had more than 1,400 of them and was one of only two regional units providing all 13 capabilities, and the inspectorate judged it the most advanced of the ten in England and Wales. The 2015 press article expands the abbreviation as “East Midlands Specialist Operations Unit”; the collaboration's own documents say “East Midlands Special Operations Unit”.",
    },
    ('collaboration.organisation', 'university-of-derby'): {
        'description': 'One of the eight East Midlands universities in the collaboration.',
    },
    ('collaboration.organisation', 'de-montfort-university'): {
        'description': "The Leicester university that hosts the collaboration's work on serious and organised crime and leads it academically. Staff from psychology, computer science, law, accountancy, education, community and youth work, business, criminology and policing, and its public engagement team, have taken part, and it funded the first stage of the research.",
    },
    ('collaboration.organisation', 'university-of-leicester'): {
        'description': 'One of the eight East Midlands universities in the collaboration; its researchers are listed for work on early intervention.',
    },
    ('collaboration.organisation', 'loughborough-university'): {
        'description': 'One of the eight East Midlands universities in the collaboration. Its researchers study how local communities and resilience forums coped with COVID-19 and what low-crime areas can teach prevention elsewhere.',
    },
    ('collaboration.organisation', 'university-of-lincoln'): {
        'description': 'One of the eight East Midlands universities in the collaboration.',
    },
    ('collaboration.organisation', 'university-of-nottingham'): {
        'description': 'One of the eight East Midlands universities in the collaboration; its researchers are exploring a regional problem profile of modern slavery and human trafficking.',
    },
    ('collaboration.organisation', 'nottingham-trent-university'): {
        'description': 'One of the eight East Midlands universities in the collaboration; its researchers are listed for work on understanding demand on policing.',
    },
    ('collaboration.organisation', 'university-of-northampton'): {
        'description': 'One of the eight East Midlands universities in the collaboration; one of its staff has begun work with EMSOU on transnational policing.',
    },
    ('collaboration.organisation', 'sheffield-hallam-university'): {
        'description': 'A university outside the collaboration whose researchers the organisational adaptability report proposes to involve in its evidence on transnational policing.',
    },
    ('collaboration.organisation', 'cardiff-university'): {
        'description': 'A university outside the region whose researchers the community resilience report lists for work on early intervention.',
    },
    ('collaboration.organisation', 'uk-cabinet-office'): {
        'description': 'The government department whose 2018 assessment of serious and organised crime the reports cite, and which funds research on how communities weathered COVID-19.',
    },
    ('collaboration.organisation', 'hmic'): {
        'description': 'The police inspectorate that examined the regional organised crime units in 2015 and singled out EMSOU. The press article calls it “Her Majesty’s Inspectorate of Constabularies”.',
    },
    ('collaboration.organisation', 'economic-and-social-research-council'): {
        'description': 'A research funder named as one source of the long-term investment the collaboration hopes to win.',
    },
    ('collaboration.person', 'paul-gibson'): {
        'biography': 'Deputy Chief Constable at EMSOU, named as operational lead in the early-2021 news post.',
    },
    ('collaboration.person', 'craig-paterson'): {
        'biography': 'Researcher proposed as a contributor on transnational policing.',
    },
    ('collaboration.person', 'dick-severn'): {
        'biography': 'Researcher proposed as a contributor on transnational policing.',
    },
    ('collaboration.person', 'dave-hill'): {
        'biography': 'Proposed as a contributor on transnational policing; he had already started related work at EMSOU.',
    },
    ('collaboration.person', 'rob-mccusker'): {
        'biography': 'Proposed as a contributor on transnational policing.',
    },
    ('collaboration.person', 'dan-sage'): {
        'biography': 'Leads Cabinet Office funded research on Local Resilience Forums, drawing lessons from how communities coped with COVID-19.',
    },
    ('collaboration.person', 'mark-lemon'): {
        'biography': 'Cited for evaluations of place-based crime prevention in Leicestershire.',
    },
    ('collaboration.person', 'darren-smith'): {
        'biography': 'Cited for the People Zone work in Leicestershire, with the Leicestershire OPCC.',
    },
    ('collaboration.person', 'ben-brewster'): {
        'biography': 'Exploring a regional problem profile of modern slavery and human trafficking.',
    },
    ('collaboration.person', 'kem-mehmet'): {
        'biography': 'Named alongside the Regional Vulnerability Forum, where the problem profile of modern slavery and human trafficking was discussed.',
    },
    ('collaboration.person', 'mick-creedon'): {
        'biography': "Chief Constable of Derbyshire and, in December 2015, the national policing lead for serious and organised crime; quoted welcoming the inspectorate's view of EMSOU.",
    },
    ('collaboration.person', 'liam-norcliffe'): {
        'biography': "Journalist who wrote the December 2015 article on EMSOU's inspection.",
    },
    ('reports.report', 'community-resilience-progress-report-november-2020'): {
        'summary': 'Makes the case that the region can deny organised crime groups the vulnerability they exploit by building community resilience, a task for partners and communities as much as for the police. It brings the relevant evidence and effort together in one table and makes three recommendations.',
        'body': 'According to the Cabinet Office (2018), serious and organised crime touches more people in the UK than any other national security threat, and much of its harm falls on vulnerable people and places. The report explains why prevention belongs beside investigation: the national strategy for 2018–2021 asks for both, section 17 of the Crime and Disorder Act 1998 obliges local partners such as the police, probation, health services and councils to work at reducing crime, and the 2016 Modern Crime Prevention Strategy treats organised crime as a core concern.\n\nWithin EMPAC, practitioners and researchers have been working through these questions together, with DCC Chris Haward of EMSOU as operational lead and Professor Dave Walsh of DMU as academic lead. One priority to come out of that work is protecting individuals and communities by reducing the vulnerability that organised crime feeds on, county lines being a familiar example.\n\nThe report points to evidence the region already has: Cabinet Office funded research at Loughborough on how communities coped with COVID-19, evaluations of place-based and environmental design approaches in Leicestershire, and a regional problem profile of modern slavery and human trafficking raised at the Regional Vulnerability Forum. Because organised crime moves between offence types, community vulnerability is often the common thread, and stronger communities are offered as the longer-term answer.\n\nIts argument is that most of this means working differently rather than doing more: using the partnership forums and Police and Crime Plans that already exist, applying the evidence consistently, and helping communities spot the early signs of organised crime, including its return after police action. Much of the data is public, so research can start straight away. A table lines up twelve approaches with the activity each needs and who could supply it.',
    },
    ('reports.recommendation', 'community-resilience-progress-report-november-2020/1'): {
        'explanation': 'Map the evidence the region already holds and share it, as a first step towards prevention through community resilience, and use it to spread good practice and find chances for operational experiments.',
    },
    ('reports.recommendation', 'community-resilience-progress-report-november-2020/2'): {
        'explanation': 'Make the Police and Crime Plans, which already bring the prevention partners together, the main vehicle for prevention, and map the evidence against them so it guides commissioning, evaluation and trials of community resilience.',
    },
    ('reports.recommendation', 'community-resilience-progress-report-november-2020/3'): {
        'explanation': 'Back a joint bid for lasting outside funding that builds on the shared evidence and lets the region do more prevention research and development.',
    },
    ('reports.report', 'organisational-adaptability-progress-report-december-2020'): {
        'summary': 'Looks at the gap in adaptability between policing and organised crime groups, sets the two side by side in its “Mind the gap” table, picks out red teaming as a technique worth testing, and makes four recommendations.',
        'body': "The report starts from the national picture. The Cabinet Office found in 2018 that serious and organised crime reaches more people in the UK, and more often, than any other national security threat, and it costs the country at least £37 billion a year. The national response is to stop people getting involved, to shield victims, organisations and systems, and to be ready to limit the damage when crime does happen.\n\nIts subject is adaptability. Policing operates under dense regulation and mostly through command and control; organised crime groups are looser and quicker to change course. The joint research suggests that the police are often caught out, while criminal groups seem able to predict how the police will respond. Knowing both the criminal market and policing's own constraints is the starting point, and the practical experience of policing across borders is offered as a source of more flexible methods. Leaving the gap unaddressed, the report warns, would leave policing trailing a nimble and enterprising opponent.\n\nBy this stage more than 1,000 hours of academic and police time had gone into the work, helped by early funding from De Montfort University. The report proposes bringing in more researchers, among them Drs Craig Paterson and Dick Severn of Sheffield Hallam, Dave Hill of the University of Northampton and Professor Rob McCusker, together with the view from neighbourhood policing and force intelligence. It singles out red teaming, a method from military, intelligence and business settings that asks people to think as their opponent would, as worth examining and perhaps trialling once the groundwork is done. The longer aim is steady research funding from bodies such as the Economic and Social Research Council.",
    },
    ('reports.recommendation', 'organisational-adaptability-progress-report-december-2020/1'): {
        'explanation': "Make the joint research led by DCC Haward and Professor Walsh widely available, with the backing of the region's forces, so that others can build on it; putting the reports on the EMPAC website gives police and academic colleagues easy access.",
    },
    ('reports.recommendation', 'organisational-adaptability-progress-report-december-2020/2'): {
        'explanation': 'Involve further researchers and practitioners so that the evidence is as strong as it can be and reflects the particular conditions of the region.',
    },
    ('reports.recommendation', 'organisational-adaptability-progress-report-december-2020/3'): {
        'explanation': 'Look early for chances to experiment and learn, such as embedding red teaming, and weigh the resources and cost of each promising trial on its own merits.',
    },
    ('reports.recommendation', 'organisational-adaptability-progress-report-december-2020/4'): {
        'explanation': 'Form a team to write research bids, with EMPAC as a bidding partner, DMU leading the bid, and other centres of expertise joining where they add breadth or depth.',
    },
    ('reports.report', 'growing-momentum-in-tackling-serious-organised-crime'): {
        'summary': 'An update from early 2021 on the joint police and academic work on serious and organised crime: who leads it, the six priorities the region has chosen, the disciplines taking part at De Montfort University, and the reports so far.',
        'body': 'The post recalls why the work matters: the Cabinet Office found in 2018 that organised crime affects more people in the UK, and more often, than any other national security threat, at a cost of at least £37 billion a year. The work is led jointly by DCC Paul Gibson of EMSOU as operational lead and Professor Dave Walsh of De Montfort University as academic lead.\n\nEMSOU is already strong at pursuing offenders through prosecution and disruption. The collaboration sets out to add fresh thinking and tactics for keeping people out of organised crime, protecting those it targets and softening its impact, looking across crime types for the common factors that make people vulnerable.\n\nAt De Montfort, psychology, computer science, law, accountancy, education, community and youth work, business, criminology and policing, along with the public engagement team, are working with police specialists in organised crime. The group keeps meeting to ask what policing does not yet know and how best to find out, and plans a joint bid for outside research funding during 2021. People with relevant expertise are invited to contact Professor Walsh.',
        'provenance': 'The post is undated. It is placed in 2021 because it names DCC Paul Gibson as operational lead where the December 2020 report still named DCC Chris Haward, it lists the February 2021 Intelligence report, and it speaks of bidding for funding in 2021. Its report list begins with an “Interim Generic Update Report January 2020” where the other news post has an “Interim Report December 2019”.',
    },
    ('reports.report', 'working-together-on-serious-organised-crime'): {
        'summary': "Explains why EMSOU and De Montfort University are working together on serious and organised crime, sets out the region's six priorities in full, and lists the reports published so far.",
        'body': 'Organised crime costs the UK at least £37 billion a year. In the East Midlands, EMSOU is working with academic departments across De Montfort University to support the national Serious Organised Crime Strategy and to help the region get ahead of criminal enterprise instead of following it. Combining police experience with a wide range of academic disciplines is meant to produce new ideas for protecting victims and bringing offenders to justice.\n\nDMU leads the academic side, but as an EMPAC partner it welcomes the other universities of the region, so that their expertise adds breadth and depth. Events continue, and researchers and practitioners who could contribute are encouraged to take part.',
        'provenance': 'The post is undated. It lists reports up to February 2021, so it is placed in 2021. Its report list begins with an “Interim Report December 2019” and its PDF address where the other news post has an “Interim Generic Update Report January 2020”, and it names each progress report twice, once as an interim report and once as a progress report.',
    },
    ('reports.report', 'east-midlands-crime-unit-leads-the-way-nationally-according-to-new-report'): {
        'summary': "A December 2015 news article on the police inspectorate's finding that EMSOU was the most advanced of the regional organised crime units in England and Wales.",
        'body': "Her Majesty's Inspectorate of Constabulary inspected the regional organised crime units (ROCUs) in 2015. The article reports that it found the East Midlands unit, EMSOU, to have the widest range of critical capabilities, surveillance and cyber-crime investigation among them, and that, unlike the other nine units, it also investigates major crime such as murder and kidnap.\n\nROCUs tackle organised crime groups that operate across force boundaries, support other investigations and link the forces with the National Crime Agency. EMSOU began as a covert unit in 2002 and grew to combine officers and specialist staff from Derbyshire, Leicestershire, Lincolnshire, Northamptonshire and Nottinghamshire. With more than 1,400 officers and staff it has more people per head of population than any other ROCU; it is one of only two that provide all 13 capabilities, and one of two whose chief officer works on the unit full time. The inspectorate presented it as a model other regions could follow.\n\nChief Constable Mick Creedon of Derbyshire, then national policing lead for serious and organised crime, credited the commitment and skill of everyone who had worked in EMSOU over its 13 years.",
        'provenance': "Article by Liam Norcliffe dated Wednesday 2 December 2015; the publication is not named in the text held. It calls the inspectorate “Her Majesty’s Inspectorate of Constabularies” and expands EMSOU as “East Midlands Specialist Operations Unit”, where the collaboration's documents say “East Midlands Special Operations Unit”.",
    },
    ('collaboration.role', 'chris-haward/operational_lead'): {
        'dates_note': 'Named as operational lead in the November and December 2020 progress reports; by the early-2021 news post DCC Paul Gibson held the role. The exact handover date is not stated, so the role is taken to end at the start of 2021.',
        'latest_source_id': None,
    },
    ('collaboration.role', 'paul-gibson/operational_lead'): {
        'dates_note': 'Named as operational lead in the undated early-2021 news post. The exact handover date is not stated, so the role is taken to start at the beginning of 2021.',
        'latest_source_id': None,
    },
    ('collaboration.role', 'dave-walsh/academic_lead'): {
        'dates_note': 'Named as academic lead in the November and December 2020 progress reports and the early-2021 news post; start date not stated.',
        'latest_source_id': None,
    },
    ('collaboration.role', 'hardyal-dhindsa/strategic_lead'): {
        'latest_source_id': None,
    },
    ('collaboration.role', 'rachel-swann/strategic_lead'): {
        'latest_source_id': None,
    },
    ('collaboration.role', 'craig-paterson/researcher'): {
        'latest_source_id': None,
    },
    ('collaboration.role', 'dick-severn/researcher'): {
        'latest_source_id': None,
    },
    ('collaboration.role', 'dave-hill/researcher'): {
        'latest_source_id': None,
    },
    ('collaboration.role', 'rob-mccusker/researcher'): {
        'latest_source_id': None,
    },
    ('collaboration.role', 'dan-sage/researcher'): {
        'title': 'Cabinet Office funded research on Local Resilience Forums',
        'latest_source_id': None,
    },
    ('collaboration.role', 'mark-lemon/researcher'): {
        'title': 'Place-based evaluation in Leicestershire',
        'latest_source_id': None,
    },
    ('collaboration.role', 'darren-smith/researcher'): {
        'title': 'People Zone, with the Leicestershire OPCC',
        'latest_source_id': None,
    },
    ('collaboration.role', 'ben-brewster/researcher'): {
        'title': 'Regional problem profile of modern slavery and human trafficking',
        'latest_source_id': None,
    },
    ('collaboration.role', 'kem-mehmet/researcher'): {
        'latest_source_id': None,
        'organisation_id': ('ref', 'collaboration.organisation', 'regional-vulnerability-forum'),
    },
    ('collaboration.role', 'housley/researcher'): {
        'latest_source_id': None,
    },
    ('collaboration.role', 'kate-hemstock/researcher'): {
        'latest_source_id': None,
    },
    ('collaboration.role', 'emma-williams/researcher'): {
        'latest_source_id': None,
    },
    ('reports.gapanalysis', 'mind-the-gap'): {
        'summary': 'Sets policing and organised crime groups side by side on three dimensions – how each is organised, what it looks at, and how it works day to day – to show why criminal groups adapt faster, and lists what the collaboration still needs to find out.',
    },
    ('reports.knowledgegap', 'mind-the-gap/1'): {
        'detail': 'The organisational adaptability report finds that the police are often taken by surprise while criminal groups anticipate police tactics; how to win back some of that initiative is still open.',
    },
    ('reports.knowledgegap', 'mind-the-gap/2'): {
        'detail': 'Red teaming has been picked out as a tactic worth examining and possibly trialling; the report says some groundwork is needed first and that the cost of any trial would be weighed case by case.',
        'status': 'scoped',
    },
    ('reports.knowledgegap', 'mind-the-gap/3'): {
        'detail': 'Researchers at Sheffield Hallam and Northampton and Professor Rob McCusker are proposed to widen this evidence base, and linked work has already begun at EMSOU.',
        'theme_id': ('ref', 'collaboration.theme', 'international-links'),
        'status': 'being_researched',
    },
    ('reports.knowledgegap', 'mind-the-gap/4'): {
        'report_id': None,
        'position': 4,
        'question': 'How are national and international organised crime networks active in the region connected?',
        'detail': 'The early-2021 news post describes the police and academic team as looking for more knowledge about these links.',
        'analysis_id': ('ref', 'reports.gapanalysis', 'mind-the-gap'),
    },
    ('reports.knowledgegap', 'mind-the-gap/5'): {
        'report_id': None,
        'position': 5,
        'question': 'Which new crime types and criminal business models should policing prepare for?',
        'detail': "The early-2021 news post counts crime types yet to emerge, and staying a step in front of criminal entrepreneurs, among the team's lines of enquiry.",
        'analysis_id': ('ref', 'reports.gapanalysis', 'mind-the-gap'),
    },
    ('reports.knowledgegap', 'mind-the-gap/6'): {
        'report_id': None,
        'position': 6,
        'question': 'What does policing not yet know about serious and organised crime, and how can it find out quickly?',
        'detail': 'The general question the group keeps returning to, according to the early-2021 news post: where the knowledge gaps are and the most agile way to fill them. It cuts across all six themes.',
        'analysis_id': ('ref', 'reports.gapanalysis', 'mind-the-gap'),
        'theme_id': ('ref', 'collaboration.theme', 'agile-law-enforcement-mindset'),
    },
}


def record_earlier_values(apps, schema_editor):
    SeedRecord = apps.get_model("content", "SeedRecord")
    records = {(r.model, r.key): r for r in SeedRecord.objects.all()}

    def resolve(value):
        if isinstance(value, tuple) and value[:1] == ("ref",):
            record = records.get((value[1], value[2]))
            return record.object_id if record else None
        return value

    for label_and_key, values in AS_SEEDED.items():
        record = records.get(label_and_key)
        if record is None or record.values:
            continue  # never seeded here, or its values are kept already
        record.values = {name: resolve(value) for name, value in values.items()}
        record.save(update_fields=["values"])
    for (label, old), new in RENAMED.items():
        record = records.get((label, old))
        if record is not None and (label, new) not in records:
            record.key = new
            record.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="seedrecord",
            name="values",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text=(
                    "Fields as the seed last wrote them. A field still equal to its value here "
                    "is untouched by curators, so a correction to the data may replace it."
                ),
            ),
        ),
        migrations.RunPython(record_earlier_values, migrations.RunPython.noop),
    ]
