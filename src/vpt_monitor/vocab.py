"""The monitor's vocabularies: government layers, offices, forms and channels of aggression.

Every vocabulary is an :class:`enum.StrEnum` whose values are the Dutch codes used in data
files, so ``Office("burgemeester") is Office.MAYOR`` and ``Office.MAYOR == "burgemeester"``.
Each member also has an English ``label`` and a Dutch ``dutch`` label for tables.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from vpt_monitor.stats._match import fold

__all__ = [
    "AgeBand",
    "Area",
    "Channel",
    "Consequence",
    "ContactFrequency",
    "Form",
    "Gender",
    "Group",
    "Layer",
    "Measure",
    "MunicipalitySize",
    "Office",
    "Province",
    "ViolationStatus",
    "ViolationType",
]


class _Labelled(StrEnum):
    """A StrEnum with English and Dutch labels looked up in ``_LABELS``."""

    @property
    def label(self) -> str:
        """English label."""
        return _LABELS[self][0]

    @property
    def dutch(self) -> str:
        """Dutch label, as the monitor's reports use it."""
        return _LABELS[self][1]

    @classmethod
    def parse(cls, value: object, *, field: str = "value") -> Self:
        """Return the member for a code, a member, or its English or Dutch label.

        Labels are matched ignoring case and surrounding spaces, so ``Office.parse("mayor")``
        and ``Office.parse("Burgemeester")`` both give ``Office.MAYOR``; a domain of a table
        is then ``table[Office.parse("mayor")]``. Anything else raises a `ValueError` that
        names the field and the valid codes.

        Examples
        --------
        >>> from vpt_monitor import Office
        >>> Office.parse("mayor") is Office.parse("burgemeester") is Office.MAYOR
        True
        >>> Office.parse("Gemeenteraadslid")
        <Office.COUNCILLOR: 'raadslid'>
        """
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            try:
                return cls(value)
            except ValueError:
                pass
            wanted = fold(value)
            for member in cls:
                if wanted in (fold(member.value), fold(member.label), fold(member.dutch)):
                    return member
            for member in cls:  # labels of earlier versions, in code and notebooks still
                if wanted in (fold(old) for old in _FORMER_LABELS.get(member, ())):
                    return member
        codes = ", ".join(repr(m.value) for m in cls)
        raise ValueError(f"{field}: {value!r} is not a {cls.__name__}; valid codes are {codes}")


class Layer(_Labelled):
    """Government layer (bestuurslaag).

    Examples
    --------
    >>> from vpt_monitor import Layer
    >>> Layer("gemeente") is Layer.MUNICIPALITY, Layer.MUNICIPALITY.label
    (True, 'municipality')
    """

    STATE = "rijk"
    PROVINCE = "provincie"
    MUNICIPALITY = "gemeente"
    WATER_BOARD = "waterschap"


class Group(_Labelled):
    """The two populations of the monitor.

    Examples
    --------
    >>> from vpt_monitor import Group
    >>> Group.POLITICAL.dutch
    'politieke ambtsdragers'
    """

    POLITICAL = "politiek-ambtsdrager"
    EMPLOYEE = "medewerker"


class Office(_Labelled):
    """Office of a respondent: civil servant or one of the political offices.

    Examples
    --------
    >>> from vpt_monitor import Office
    >>> mayor = Office("burgemeester")
    >>> mayor.label, mayor.political, sorted(layer.value for layer in mayor.layers)
    ('mayor', True, ['gemeente'])
    """

    CIVIL_SERVANT = "ambtenaar"
    MAYOR = "burgemeester"
    ALDERMAN = "wethouder"
    COUNCILLOR = "raadslid"
    KINGS_COMMISSIONER = "cdk"
    PROVINCIAL_EXECUTIVE = "gedeputeerde"
    PROVINCIAL_COUNCILLOR = "statenlid"
    WATER_BOARD_CHAIR = "dijkgraaf"
    WATER_BOARD_EXECUTIVE = "db-lid"
    WATER_BOARD_MEMBER = "ab-lid"

    @property
    def layers(self) -> frozenset[Layer]:
        """Layers in which the office exists (a mayor only in a municipality)."""
        return _OFFICE_LAYERS[self]

    @property
    def political(self) -> bool:
        """Whether the office is held by a political office holder."""
        return self is not Office.CIVIL_SERVANT

    @property
    def group(self) -> Group:
        """The population the office belongs to."""
        return Group.POLITICAL if self.political else Group.EMPLOYEE


class Form(_Labelled):
    """Form of aggression and violence.

    Examples
    --------
    >>> from vpt_monitor import Form
    >>> [form.value for form in Form]
    ['verbaal', 'bedreiging', 'fysiek', 'discriminatie', 'seksueel']
    """

    VERBAL = "verbaal"
    THREAT = "bedreiging"
    PHYSICAL = "fysiek"
    DISCRIMINATION = "discriminatie"
    SEXUAL = "seksueel"


class Channel(_Labelled):
    """Channel through which aggression came.

    Examples
    --------
    >>> from vpt_monitor import Channel
    >>> Channel.SOCIAL_MEDIA.label
    'social media and internet'
    """

    IN_PERSON = "persoonlijk"
    PHONE_OR_MAIL = "telefoon-post"
    SOCIAL_MEDIA = "sociale-media"


class Consequence(_Labelled):
    """Consequence of an incident for the victim.

    Examples
    --------
    >>> from vpt_monitor import Consequence
    >>> Consequence.MENTAL_HEALTH.adverse, Consequence.DECISION_INFLUENCE.adverse
    (True, False)
    """

    LESS_WORK_PLEASURE = "minder-werkplezier"
    MENTAL_HEALTH = "psychische-klachten"
    CHANGED_BEHAVIOUR = "gedrag-aangepast"
    PHYSICAL_INJURY = "lichamelijk-letsel"
    ABSENCE = "verzuim"
    DECISION_INFLUENCE = "besluitvorming-beinvloed"

    @property
    def adverse(self) -> bool:
        """Whether the consequence counts as an adverse effect on the victim."""
        return self is not Consequence.DECISION_INFLUENCE


class ViolationType(_Labelled):
    """Type of integrity violation (integriteitsschending).

    Examples
    --------
    >>> from vpt_monitor import ViolationType
    >>> ViolationType.parse("belangenverstrengeling").label
    'conflict of interest'
    """

    CONFLICT_OF_INTEREST = "belangenverstrengeling"
    CONFIDENTIAL_INFORMATION = "vertrouwelijke-informatie"
    VOTING_PERSONAL_INTEREST = "stemmen-eigen-belang"
    ADVISER_IN_DISPUTE = "adviseur-geschil"
    GIFTS = "geschenken"
    SIDE_JOBS = "nevenfuncties"
    FRAUD = "fraude"
    MISUSE_OF_RESOURCES = "misbruik-middelen"
    INAPPROPRIATE_BEHAVIOUR = "ongewenst-gedrag"


class ViolationStatus(_Labelled):
    """Stage of a registered integrity violation.

    Examples
    --------
    >>> from vpt_monitor import ViolationStatus
    >>> ViolationStatus("vastgesteld").label
    'confirmed'
    """

    SUSPECTED = "vermoeden"
    INVESTIGATED = "onderzocht"
    CONFIRMED = "vastgesteld"


class Area(_Labelled):
    """Policy area of a measure.

    Examples
    --------
    >>> from vpt_monitor import Area, Measure
    >>> Measure.AFTERCARE.area is Area.AGGRESSION
    True
    """

    INTEGRITY = "integriteit"
    AGGRESSION = "agressie-geweld"


class Measure(_Labelled):
    """Policy measure of an organisation, in the integrity or the aggression area.

    Examples
    --------
    >>> from vpt_monitor import Measure
    >>> Measure("vertrouwenspersoon").label, Measure.CONFIDENTIAL_ADVISER.area.value
    ('confidential adviser', 'integriteit')
    """

    INTEGRITY_POLICY = "integriteitsbeleid"
    CODE_OF_CONDUCT = "gedragscode"
    OATH = "eed-belofte"
    VULNERABLE_FUNCTIONS = "kwetsbare-functies"
    RISK_ANALYSIS = "risicoanalyse"
    FUNCTION_SEPARATION = "functiescheiding"
    CERTIFICATE_OF_CONDUCT = "vog"
    SIDE_JOBS_REGISTER = "nevenwerkzaamheden"
    FINANCIAL_INTERESTS = "financiele-belangen"
    CONFIDENTIAL_ADVISER = "vertrouwenspersoon"
    REPORTING_PROCEDURE = "meldprocedure"
    VIOLATION_REGISTRATION = "registratie-schendingen"
    INTEGRITY_TRAINING = "training-integriteit"
    AGGRESSION_POLICY = "agressiebeleid"
    NORM_COMMUNICATED = "norm-gecommuniceerd"
    INCIDENT_REGISTRATION = "registratie-incidenten"
    EMPLOYER_POLICE_REPORT = "aangifte-werkgever"
    AFTERCARE = "nazorg"
    AGGRESSION_TRAINING = "training-agressie"
    DAMAGE_RECOVERY = "schadeverhaal"

    @property
    def area(self) -> Area:
        """The policy area the measure belongs to."""
        return Area.AGGRESSION if self in _AGGRESSION_MEASURES else Area.INTEGRITY


_AGGRESSION_MEASURES = frozenset(
    {
        Measure.AGGRESSION_POLICY,
        Measure.NORM_COMMUNICATED,
        Measure.INCIDENT_REGISTRATION,
        Measure.EMPLOYER_POLICE_REPORT,
        Measure.AFTERCARE,
        Measure.AGGRESSION_TRAINING,
        Measure.DAMAGE_RECOVERY,
    }
)


class Gender(_Labelled):
    """Gender of a respondent, as the monitor asks it since 2016 (m, v, x).

    Examples
    --------
    >>> from vpt_monitor import Gender
    >>> Gender("v").label, Gender.WOMAN.dutch
    ('women', 'vrouwen')
    """

    MAN = "m"
    WOMAN = "v"
    OTHER = "x"


class AgeBand(_Labelled):
    """Age band of a respondent.

    Examples
    --------
    >>> from vpt_monitor import AgeBand
    >>> [band.value for band in AgeBand]
    ['tot-35', '35-44', '45-54', '55-64', '65-plus']
    """

    UNDER_35 = "tot-35"
    FROM_35_TO_44 = "35-44"
    FROM_45_TO_54 = "45-54"
    FROM_55_TO_64 = "55-64"
    FROM_65 = "65-plus"


class Province(_Labelled):
    """The twelve provinces (BZK publishes one factsheet for each).

    Examples
    --------
    >>> from vpt_monitor import Province
    >>> len(Province), Province("fryslan").dutch
    (12, 'Fryslân')
    """

    GRONINGEN = "groningen"
    FRYSLAN = "fryslan"
    DRENTHE = "drenthe"
    OVERIJSSEL = "overijssel"
    FLEVOLAND = "flevoland"
    GELDERLAND = "gelderland"
    UTRECHT = "utrecht"
    NOORD_HOLLAND = "noord-holland"
    ZUID_HOLLAND = "zuid-holland"
    ZEELAND = "zeeland"
    NOORD_BRABANT = "noord-brabant"
    LIMBURG = "limburg"


class MunicipalitySize(_Labelled):
    """Size class of a municipality by its inhabitants.

    Examples
    --------
    >>> from vpt_monitor import MunicipalitySize
    >>> MunicipalitySize("50-100k").dutch
    '50.000 tot 100.000 inwoners'
    """

    UNDER_20K = "tot-20k"
    FROM_20K_TO_50K = "20-50k"
    FROM_50K_TO_100K = "50-100k"
    FROM_100K = "100k-plus"


class ContactFrequency(_Labelled):
    """How often a respondent deals with citizens in person, by phone or online.

    Examples
    --------
    >>> from vpt_monitor import ContactFrequency
    >>> ContactFrequency.DAILY.value, ContactFrequency.DAILY.label
    ('dagelijks', 'daily')
    """

    DAILY = "dagelijks"
    WEEKLY = "wekelijks"
    MONTHLY = "maandelijks"
    LESS_OFTEN = "minder-vaak"
    NEVER = "nooit"


_LABELS: dict[StrEnum, tuple[str, str]] = {
    Layer.STATE: ("state", "Rijk"),
    Layer.PROVINCE: ("province", "provincie"),
    Layer.MUNICIPALITY: ("municipality", "gemeente"),
    Layer.WATER_BOARD: ("water board", "waterschap"),
    Group.POLITICAL: ("political office holders", "politieke ambtsdragers"),
    Group.EMPLOYEE: ("employees", "overheidsmedewerkers"),
    # the same people as Group.EMPLOYEE, and so the same word (issue 12)
    Office.CIVIL_SERVANT: ("employee", "overheidsmedewerker"),
    Office.MAYOR: ("mayor", "burgemeester"),
    Office.ALDERMAN: ("alderman", "wethouder"),
    Office.COUNCILLOR: ("municipal councillor", "gemeenteraadslid"),
    Office.KINGS_COMMISSIONER: ("King's Commissioner", "commissaris van de Koning"),
    Office.PROVINCIAL_EXECUTIVE: ("provincial executive", "gedeputeerde"),
    Office.PROVINCIAL_COUNCILLOR: ("provincial councillor", "Statenlid"),
    Office.WATER_BOARD_CHAIR: ("water board chair", "dijkgraaf"),
    Office.WATER_BOARD_EXECUTIVE: ("water board executive", "lid dagelijks bestuur"),
    Office.WATER_BOARD_MEMBER: ("water board member", "lid algemeen bestuur"),
    Form.VERBAL: ("verbal aggression", "verbale agressie"),
    Form.THREAT: ("threats and intimidation", "bedreiging en intimidatie"),
    Form.PHYSICAL: ("physical violence", "fysiek geweld"),
    Form.DISCRIMINATION: ("discrimination", "discriminatie"),
    Form.SEXUAL: ("sexual intimidation", "seksuele intimidatie"),
    Channel.IN_PERSON: ("face to face", "persoonlijk"),
    Channel.PHONE_OR_MAIL: ("phone, letter or e-mail", "telefoon, brief of e-mail"),
    Channel.SOCIAL_MEDIA: ("social media and internet", "sociale media en internet"),
    Consequence.LESS_WORK_PLEASURE: ("less pleasure in work", "minder werkplezier"),
    Consequence.MENTAL_HEALTH: ("mental-health complaints", "psychische klachten"),
    Consequence.CHANGED_BEHAVIOUR: ("changed behaviour", "gedrag aangepast"),
    Consequence.PHYSICAL_INJURY: ("physical injury", "lichamelijk letsel"),
    Consequence.ABSENCE: ("absence from work", "verzuim"),
    Consequence.DECISION_INFLUENCE: ("influence on decisions", "invloed op besluitvorming"),
    ViolationType.CONFLICT_OF_INTEREST: ("conflict of interest", "belangenverstrengeling"),
    ViolationType.CONFIDENTIAL_INFORMATION: (
        "careless handling of confidential information",
        "onzorgvuldig omgaan met vertrouwelijke informatie",
    ),
    ViolationType.VOTING_PERSONAL_INTEREST: (
        "voting on matters of personal interest",
        "stemmen over zaken met een persoonlijk belang",
    ),
    ViolationType.ADVISER_IN_DISPUTE: (
        "acting as adviser in a dispute with the organisation",
        "optreden als adviseur in een geschil met de organisatie",
    ),
    ViolationType.GIFTS: (
        "accepting gifts or invitations",
        "aannemen van geschenken of uitnodigingen",
    ),
    ViolationType.SIDE_JOBS: ("undeclared side jobs", "niet gemelde nevenfuncties"),
    ViolationType.FRAUD: ("fraud or theft", "fraude of diefstal"),
    ViolationType.MISUSE_OF_RESOURCES: ("misuse of resources", "misbruik van middelen"),
    ViolationType.INAPPROPRIATE_BEHAVIOUR: ("inappropriate behaviour", "ongewenst gedrag"),
    ViolationStatus.SUSPECTED: ("suspected", "vermoeden"),
    ViolationStatus.INVESTIGATED: ("investigated", "onderzocht"),
    ViolationStatus.CONFIRMED: ("confirmed", "vastgesteld"),
    Area.INTEGRITY: ("integrity", "integriteit"),
    Area.AGGRESSION: ("aggression and violence", "agressie en geweld"),
    Gender.MAN: ("men", "mannen"),
    Gender.WOMAN: ("women", "vrouwen"),
    Gender.OTHER: ("other", "anders"),
    AgeBand.UNDER_35: ("under 35", "jonger dan 35"),
    AgeBand.FROM_35_TO_44: ("35 to 44", "35 tot 45"),
    AgeBand.FROM_45_TO_54: ("45 to 54", "45 tot 55"),
    AgeBand.FROM_55_TO_64: ("55 to 64", "55 tot 65"),
    AgeBand.FROM_65: ("65 and over", "65 en ouder"),
    Province.GRONINGEN: ("Groningen", "Groningen"),
    Province.FRYSLAN: ("Friesland", "Fryslân"),
    Province.DRENTHE: ("Drenthe", "Drenthe"),
    Province.OVERIJSSEL: ("Overijssel", "Overijssel"),
    Province.FLEVOLAND: ("Flevoland", "Flevoland"),
    Province.GELDERLAND: ("Gelderland", "Gelderland"),
    Province.UTRECHT: ("Utrecht", "Utrecht"),
    Province.NOORD_HOLLAND: ("North Holland", "Noord-Holland"),
    Province.ZUID_HOLLAND: ("South Holland", "Zuid-Holland"),
    Province.ZEELAND: ("Zeeland", "Zeeland"),
    Province.NOORD_BRABANT: ("North Brabant", "Noord-Brabant"),
    Province.LIMBURG: ("Limburg", "Limburg"),
    MunicipalitySize.UNDER_20K: ("under 20,000 inhabitants", "minder dan 20.000 inwoners"),
    MunicipalitySize.FROM_20K_TO_50K: (
        "20,000 to 50,000 inhabitants",
        "20.000 tot 50.000 inwoners",
    ),
    MunicipalitySize.FROM_50K_TO_100K: (
        "50,000 to 100,000 inhabitants",
        "50.000 tot 100.000 inwoners",
    ),
    MunicipalitySize.FROM_100K: ("100,000 inhabitants or more", "100.000 inwoners of meer"),
    ContactFrequency.DAILY: ("daily", "dagelijks"),
    ContactFrequency.WEEKLY: ("weekly", "wekelijks"),
    ContactFrequency.MONTHLY: ("monthly", "maandelijks"),
    ContactFrequency.LESS_OFTEN: ("less often", "minder vaak"),
    ContactFrequency.NEVER: ("never", "nooit"),
    Measure.INTEGRITY_POLICY: ("integrity policy in place", "integriteitsbeleid"),
    Measure.CODE_OF_CONDUCT: ("code of conduct", "gedragscode"),
    Measure.OATH: ("oath or affirmation", "eed of belofte"),
    Measure.VULNERABLE_FUNCTIONS: (
        "vulnerable functions designated",
        "kwetsbare functies aangewezen",
    ),
    Measure.RISK_ANALYSIS: ("vulnerable processes analysed", "risicoanalyse kwetsbare processen"),
    Measure.FUNCTION_SEPARATION: ("separation of functions", "functiescheiding"),
    Measure.CERTIFICATE_OF_CONDUCT: (
        "certificate of conduct required",
        "verklaring omtrent het gedrag (VOG)",
    ),
    Measure.SIDE_JOBS_REGISTER: ("side jobs registered", "registratie nevenwerkzaamheden"),
    Measure.FINANCIAL_INTERESTS: ("financial interests reported", "melding financiële belangen"),
    Measure.CONFIDENTIAL_ADVISER: ("confidential adviser", "vertrouwenspersoon"),
    Measure.REPORTING_PROCEDURE: ("procedure for reporting misconduct", "meldprocedure"),
    Measure.VIOLATION_REGISTRATION: (
        "violations always registered",
        "schendingen altijd geregistreerd",
    ),
    Measure.INTEGRITY_TRAINING: ("integrity training", "training integriteit"),
    Measure.AGGRESSION_POLICY: ("aggression policy in place", "beleid agressie en geweld"),
    Measure.NORM_COMMUNICATED: ("norm set and communicated", "norm gesteld en gecommuniceerd"),
    Measure.INCIDENT_REGISTRATION: (
        "incidents always registered",
        "incidenten altijd geregistreerd",
    ),
    Measure.EMPLOYER_POLICE_REPORT: (
        "employer reports serious cases to the police",
        "aangifte door de werkgever",
    ),
    Measure.AFTERCARE: ("aftercare for victims", "nazorg"),
    Measure.AGGRESSION_TRAINING: ("training in handling aggression", "training agressie"),
    Measure.DAMAGE_RECOVERY: ("damages recovered from offenders", "schadeverhaal"),
}

_ALL_LAYERS = frozenset(Layer)
_OFFICE_LAYERS: dict[Office, frozenset[Layer]] = {
    Office.CIVIL_SERVANT: _ALL_LAYERS,
    Office.MAYOR: frozenset({Layer.MUNICIPALITY}),
    Office.ALDERMAN: frozenset({Layer.MUNICIPALITY}),
    Office.COUNCILLOR: frozenset({Layer.MUNICIPALITY}),
    Office.KINGS_COMMISSIONER: frozenset({Layer.PROVINCE}),
    Office.PROVINCIAL_EXECUTIVE: frozenset({Layer.PROVINCE}),
    Office.PROVINCIAL_COUNCILLOR: frozenset({Layer.PROVINCE}),
    Office.WATER_BOARD_CHAIR: frozenset({Layer.WATER_BOARD}),
    Office.WATER_BOARD_EXECUTIVE: frozenset({Layer.WATER_BOARD}),
    Office.WATER_BOARD_MEMBER: frozenset({Layer.WATER_BOARD}),
}


#: Dutch labels that earlier versions gave, still read by ``parse`` (a label is an input too:
#: ``policy_coverage(measure="registratie van schendingen")`` in an analyst's notebook).
_FORMER_LABELS: dict[_Labelled, tuple[str, ...]] = {
    Measure.VIOLATION_REGISTRATION: ("registratie van schendingen",),
    Measure.INCIDENT_REGISTRATION: ("incidenten altijd registreren",),
    ViolationType.GIFTS: ("aannemen van geschenken",),
}
