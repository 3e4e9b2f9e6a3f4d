"""The words of the report and the factsheets, in English and Dutch.

Every sentence the report writes is here once, as an ``(English, Dutch)`` pair with
``str.format`` fields; :func:`text` picks the language. Labels of domain values come from
:mod:`vpt_monitor._format` (the vocabularies), not from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vpt_monitor._format import _pick, check_language

__all__ = ["INDICATORS", "TEXT", "reason", "text"]

TEXT: Mapping[str, tuple[str, str]] = {
    "title": (
        "Monitor Integriteit en Veiligheid: headline report",
        "Monitor Integriteit en Veiligheid: kerncijfers",
    ),
    "factsheets_title": (
        "Monitor Integriteit en Veiligheid: factsheets by {by}",
        "Monitor Integriteit en Veiligheid: factsheets per {by}",
    ),
    "intro": (
        "Waves {waves}; {respondents} respondents, {incidents} incident records{organisations}.",
        "Metingen {waves}; {respondents} respondenten, {incidents} incidentbeschrijvingen"
        "{organisations}.",
    ),
    "intro_organisations": (", {count} organisations", ", {count} organisaties"),
    "intro_organisations_only": (
        "Organisation survey waves {waves}; {count} organisations; no respondents.",
        "Metingen van de organisaties {waves}; {count} organisaties; geen respondenten.",
    ),
    "lead": (
        "In {wave}, {parts} met aggression or violence in the past 12 months.",
        "In {wave} kreeg {parts} in de afgelopen 12 maanden te maken met agressie of geweld.",
    ),
    "lead_part": (
        "{share}{mark} of {group} ({interval}%)",
        "{share}{mark} van de {group} ({interval}%)",
    ),
    "lead_and": (" and ", " en "),
    "lead_absent": (
        "The data hold no {group} in {wave}.",
        "De gegevens bevatten geen {group} in {wave}.",
    ),
    "lead_no_respondents": (
        "The data hold no respondents, so this report shows the organisations' policy only; "
        "the sections on aggression and violence, reporting, influence on decisions and "
        "perceived integrity violations are absent.",
        "De gegevens bevatten geen respondenten; dit rapport toont daarom alleen het beleid "
        "van organisaties, zonder de onderdelen over agressie en geweld, melden en aangifte, "
        "invloed op besluitvorming en waargenomen integriteitsschendingen.",
    ),
    "lead_unreliable": (
        "† {group}: does not meet the publication rules ({reasons}).",
        "† {group}: voldoet niet aan de publicatieregels ({reasons}).",
    ),
    "lead_none": (
        "In {wave} the data hold no respondents of the two groups.",
        "In {wave} bevatten de gegevens geen respondenten van de twee groepen.",
    ),
    "synthetic": (
        # said on the report and on every factsheet alike: "here", not "in this report"
        "Synthetic data: every figure here is computed from simulated respondents "
        "({source}), not from a survey. It shows what the monitor's reporting looks "
        "like; do not quote its numbers as findings.",
        "Synthetische gegevens: elk cijfer hier is berekend op gesimuleerde "
        "respondenten ({source}), niet op een enquête. Het laat zien hoe de "
        "rapportage van de monitor eruitziet; citeer de cijfers niet als uitkomsten.",
    ),
    "data_source": ("Data: {source}.", "Gegevens: {source}."),
    "section_aggression": (
        "Aggression and violence, {span}",
        "Agressie en geweld, {span}",
    ),
    "section_change": ("Change from {first} to {last}", "Verandering van {first} naar {last}"),
    "section_offices": ("Offices, {wave}", "Functies, {wave}"),
    "section_social": (
        "Aggression via social media, {span}",
        "Agressie via sociale media, {span}",
    ),
    "section_reporting": ("Reporting, {wave}", "Melden en aangifte, {wave}"),
    "section_influence": (
        "Political office holders whose decisions aggression influenced, {span}",
        "Politieke ambtsdragers bij wie agressie de besluitvorming beïnvloedde, {span}",
    ),
    "section_integrity": ("Integrity", "Integriteit"),
    "section_perceived": (
        "Perceived or suspected violations, {span}",
        "Waargenomen of vermoede integriteitsschendingen, {span}",
    ),
    "section_policy": ("Organisations' policy, {wave}", "Beleid van organisaties, {wave}"),
    "section_coverage": (
        "Coverage of measures named in the 2016 letter, {wave}",
        "Maatregelen uit de brief van 2016: aandeel organisaties, {wave}",
    ),
    "section_maturity": (
        "Maturity, {scheme} scheme, {wave}",
        "Volwassenheid van het beleid: {scheme}, {wave}",
    ),
    "section_violations": (
        "Registered violations per 1,000 employees, {wave}",
        "Geregistreerde schendingen per 1.000 medewerkers, {wave}",
    ),
    "section_absent": ("Not in these data", "Niet in deze gegevens"),
    "absent_intro": (
        "These questions were not asked (the files hold no answers to them), so the report "
        "leaves them out rather than show them as 0:",
        "Deze vragen zijn niet gesteld (de bestanden bevatten er geen antwoorden op); het "
        "rapport laat ze weg in plaats van ze als 0 te tonen:",
    ),
    "absent_summary": (
        "Not in these data (not asked; left out rather than shown as 0):",
        "Niet in deze gegevens (niet gevraagd; weggelaten in plaats van als 0 getoond):",
    ),
    "change_intervals": (
        "Each interval is the 95% interval of that change on its own; the p-values are "
        "adjusted with Holm's method across the rows, so a change whose interval excludes 0 "
        "can still be not significant.",
        "Elk interval is het 95%-interval van die verandering op zich; de p-waarden zijn met "
        "de methode van Holm gecorrigeerd over de rijen, dus een verandering waarvan het "
        "interval 0 niet bevat, kan toch niet significant zijn.",
    ),
    "method_break": (
        "Method break: {note}. The two waves measured differently, so their difference is "
        "not a change: no row is called significant.",
        "Methodebreuk: {note}. De twee metingen zijn verschillend gemeten, dus hun verschil "
        "is geen verandering: geen rij heet significant.",
    ),
    "method_breaks": (
        "Method breaks: {notes}. The two waves measured differently, so their difference is "
        "not a change: no row is called significant.",
        "Methodebreuken: {notes}. De twee metingen zijn verschillend gemeten, dus hun verschil "
        "is geen verandering: geen rij heet significant.",
    ),
    "trend_questions": (
        "Not every wave asked the same forms of aggression ({notes}): victimisation in such a "
        "wave counts fewer forms, so a difference with another wave is partly a difference "
        "of questionnaire.",
        "Niet elke meting vroeg naar dezelfde vormen van agressie ({notes}): het slachtofferschap "
        "in zo'n meting telt minder vormen mee, dus een verschil met een andere meting is "
        "deels een verschil in vragenlijst.",
    ),
    "trend_breaks": (
        "Not all waves shown are comparable; the method changed in between ({notes}). The "
        "lines in the figure are broken there: a difference across a break is partly a "
        "difference of method.",
        "Niet alle getoonde metingen zijn vergelijkbaar; de methode veranderde tussendoor "
        "({notes}). De lijnen in de figuur zijn daar onderbroken: een verschil over een breuk "
        "heen is deels een verschil in methode.",
    ),
    "fig_break": ("method break", "methodebreuk"),
    "not_in_both_waves": ("not in both waves", "niet in beide metingen"),
    "fs_change": ("change", "verandering"),
    "fs_change_all": ("every change", "alle veranderingen"),
    "fs_continued": ("continued", "vervolg"),
    "fs_change_rules": (
        "{count} changes rest on an estimate that breaks the publication rules or has no "
        "variance, and are not marked; the reasons are on the HTML page and in the tables.",
        "{count} veranderingen rusten op een schatting die niet aan de publicatieregels "
        "voldoet of geen variantie heeft, en zijn niet gemarkeerd; de redenen staan op de "
        "HTML-pagina en in de tabellen.",
    ),
    "fs_change_rules_one": (
        "1 change rests on an estimate that breaks the publication rules or has no "
        "variance, and is not marked; the reason is on the HTML page and in the tables.",
        "1 verandering rust op een schatting die niet aan de publicatieregels voldoet of "
        "geen variantie heeft, en is niet gemarkeerd; de reden staat op de HTML-pagina en in "
        "de tabellen.",
    ),
    "fs_change_unasked": (
        "{note}: {count} changes are not comparable and are not marked.",
        "{note}: {count} veranderingen zijn niet vergelijkbaar en niet gemarkeerd.",
    ),
    "fs_change_unasked_one": (
        "{note}: 1 change is not comparable and is not marked.",
        "{note}: 1 verandering is niet vergelijkbaar en niet gemarkeerd.",
    ),
    "no_variance_to_test": ("no variance to test with", "geen variantie om mee te toetsen"),
    "not_asked": ("not asked in this wave", "niet gevraagd in deze meting"),
    "method_note": (
        "Estimates are design-based ({design}); intervals are 95% (logit for shares, Student t "
        "on the design's degrees of freedom). Rows marked † and grey do not meet the "
        "publication rules (effective sample size, interval width, degrees of freedom); the "
        "reason is given below the table. Produced by vpt_monitor.",
        "De schattingen houden rekening met het steekproefontwerp ({design}); intervallen zijn "
        "95% (logit voor aandelen, Student t op de vrijheidsgraden van het ontwerp). Grijze "
        "rijen met † voldoen niet aan de publicatieregels (effectieve steekproefomvang, breedte"
        " van het interval, vrijheidsgraden); de reden staat onder de tabel. Gemaakt met "
        "vpt_monitor.",
    ),
    "design_weights": ("weights", "gewichten"),
    "design_unweighted": (
        "unweighted: every respondent counts once",
        "ongewogen: elke respondent telt één keer",
    ),
    "design_unweighted_waves": (
        "unweighted in {waves}: every respondent of that wave counts once",
        "ongewogen in {waves}: elke respondent van die meting telt één keer",
    ),
    "design_unweighted_waves_many": (
        "unweighted in {waves}: every respondent of those waves counts once",
        "ongewogen in {waves}: elke respondent van die metingen telt één keer",
    ),
    "design_strata": ("strata", "strata"),
    "design_clusters": ("clusters", "clusters"),
    "design_fpc": ("finite-population corrections", "eindige-populatiecorrecties"),
    "design_and": (" and ", " en "),
    "lonely_fail": (
        "No stratum has a single sampled PSU (lonely_psu='fail': one would have stopped the "
        "report).",
        "Geen stratum heeft één enkele getrokken PSU (lonely_psu='fail': zo'n stratum had het "
        "rapport gestopt).",
    ),
    "lonely_adjust": (
        "A stratum with a single sampled PSU contributes its PSU's deviation from the grand "
        "mean to the variance (lonely_psu='adjust', as R survey's survey.lonely.psu = "
        "'adjust').",
        "Een stratum met één getrokken PSU draagt de afwijking van die PSU van het totale "
        "gemiddelde bij aan de variantie (lonely_psu='adjust', als survey.lonely.psu = "
        "'adjust' in R).",
    ),
    "lonely_certainty": (
        "A stratum with a single sampled PSU is taken as sampled with certainty and adds no "
        "variance (lonely_psu='certainty').",
        "Een stratum met één getrokken PSU geldt als met zekerheid getrokken en draagt geen "
        "variantie bij (lonely_psu='certainty').",
    ),
    "lonely_average": (
        "A stratum with a single sampled PSU adds nothing itself; the variance of the others "
        "is scaled up by the number of strata over the number with two or more PSUs "
        "(lonely_psu='average', as R survey's survey.lonely.psu = 'average').",
        "Een stratum met één getrokken PSU draagt zelf niets bij; de variantie van de andere "
        "strata wordt vergroot met het aantal strata gedeeld door het aantal met twee of meer "
        "PSU's (lonely_psu='average', als survey.lonely.psu = 'average' in R).",
    ),
    "lonely_remove": (
        "A stratum with a single sampled PSU adds nothing to the variance "
        "(lonely_psu='remove', which R survey treats as 'certainty' for linearisation).",
        "Een stratum met één getrokken PSU draagt niets bij aan de variantie "
        "(lonely_psu='remove', in R survey voor linearisatie gelijk aan 'certainty').",
    ),
    "summary_change": (
        "Change {first}-{last}, {domain}: {change} points ({interval}; adjusted {p})",
        "Verandering {first}-{last}, {domain}: {change} procentpunt ({interval}; "
        "gecorrigeerde {p})",
    ),
    "summary_change_no_test": (
        "Change {first}-{last}, {domain}: {change} points ({interval}; no test)",
        "Verandering {first}-{last}, {domain}: {change} procentpunt ({interval}; geen toets)",
    ),
    "summary_change_untested": (
        "Change {first}-{last}, {domain}: {change} points (no interval or test)",
        "Verandering {first}-{last}, {domain}: {change} procentpunt (geen interval of toets)",
    ),
    "summary_change_absent": (
        "Change {first}-{last}, {domain}: no estimate, as the data hold no {domain} in {waves}",
        "Verandering {first}-{last}, {domain}: geen schatting, want de gegevens bevatten geen "
        "{domain} in {waves}",
    ),
    "summary_change_none": (
        "Change {first}-{last}, {domain}: no estimate",
        "Verandering {first}-{last}, {domain}: geen schatting",
    ),
    "summary_files": (
        "Tables: see `tables/` (CSV) and `tables/tables.xlsx`; figures: see `index.html`.",
        "Tabellen: zie `tables/` (CSV) en `tables/tables.xlsx`; figuren: zie `index.html`.",
    ),
    # table columns
    "col_estimate": ("estimate", "schatting"),
    "col_interval": ("95% interval", "95%-interval"),
    "col_n": ("n", "n"),
    "col_change": ("change (points)", "verschil (%-punt)"),
    "col_p_holm": ("p (Holm)", "p (Holm)"),
    "col_significant": ("significant", "significant"),
    "unreliable_marker": ("does not meet the publication rules", "voldoet niet aan de regels"),
    # figures
    "fig_victimised": ("victimised in past 12 months (%)", "slachtoffer afgelopen 12 maanden (%)"),
    "fig_trend_title": (
        "Victimisation by group, with 95% intervals",
        "Slachtofferschap per groep, met 95%-intervallen",
    ),
    "fig_social_title": (
        "Aggression via social media by group, with 95% intervals",
        "Agressie via sociale media per groep, met 95%-intervallen",
    ),
    "fig_social_axis": ("via social media (%)", "via sociale media (%)"),
    "fig_perceived_title": (
        "Perceived integrity violations by group, with 95% intervals",
        "Waargenomen integriteitsschendingen per groep, met 95%-intervallen",
    ),
    "fig_perceived_axis": ("perceived violations (%)", "waargenomen schendingen (%)"),
    "fig_offices_title": (
        "Victimisation by office, {wave}",
        "Slachtofferschap per functie, {wave}",
    ),
    "fig_reporting_title": (
        "Reporting of incidents, {wave} (per incident)",
        "Melden en aangifte van incidenten, {wave} (per incident)",
    ),
    "fig_reporting_axis": ("% of incidents", "% van de incidenten"),
    "fig_maturity_title": (
        "Policy maturity by layer, with 95% intervals",
        "Volwassenheid van het beleid per bestuurslaag, met 95%-intervallen",
    ),
    "fig_maturity_axis": ("mean maturity score (0-100)", "gemiddelde volwassenheidsscore (0-100)"),
    "fig_violations_title": (
        "Registered violations per 1,000 employees by layer, {wave}",
        "Geregistreerde schendingen per 1.000 medewerkers per bestuurslaag, {wave}",
    ),
    "fig_violations_axis": ("per 1,000 employees", "per 1.000 medewerkers"),
    "fig_coverage_title": (
        "Organisations with the measure, {wave}",
        "Organisaties met de maatregel, {wave}",
    ),
    "fig_coverage_axis": ("% of organisations", "% van de organisaties"),
    "scheme_integrity": ("integrity", "integriteit"),
    "scheme_aggression": ("aggression", "agressie en geweld"),
    "reported_internally": ("reported internally", "gemeld binnen de organisatie"),
    "police_report": ("police report", "aangifte bij de politie"),
    "not_measured_influence": (
        "influence of aggression on decisions",
        "invloed van agressie op besluitvorming",
    ),
    "not_measured_perceived": (
        "perceived integrity violations",
        "waargenomen integriteitsschendingen",
    ),
    "not_measured_policy": ("policy measure: {measure}", "beleidsmaatregel: {measure}"),
    "not_measured_maturity": (
        "policy maturity, {scheme} scheme",
        "volwassenheid van het beleid, {scheme}",
    ),
    "not_measured_violations": (
        "registered integrity violations",
        "geregistreerde integriteitsschendingen",
    ),
    "not_measured_reporting": ("reporting: {what}", "melden: {what}"),
    "not_measured_respondents": (
        "aggression and violence, reporting, influence on decisions and perceived integrity "
        "violations: not measured in these data (no respondents)",
        "agressie en geweld, melden en aangifte, invloed op besluitvorming en waargenomen "
        "integriteitsschendingen: niet gemeten in deze gegevens (geen respondenten)",
    ),
    "not_measured_organisations": (
        "organisations' policy (coverage of measures, maturity) and registered violations: "
        "not measured in these data (no organisations file was read)",
        "beleid van organisaties (maatregelen, volwassenheid) en geregistreerde schendingen: "
        "niet gemeten in deze gegevens (er is geen organisatiebestand gelezen)",
    ),
    "not_measured_organisations_empty": (
        "organisations' policy (coverage of measures, maturity) and registered violations: "
        "not measured in these data (the organisations file has no records)",
        "beleid van organisaties (maatregelen, volwassenheid) en geregistreerde schendingen: "
        "niet gemeten in deze gegevens (het organisatiebestand bevat geen regels)",
    ),
    "not_measured_social": (
        "aggression via social media",
        "agressie via sociale media",
    ),
    # factsheets
    "fs_title": (
        "{domain}: aggression, violence and integrity, {wave}",
        "{domain}: agressie, geweld en integriteit, {wave}",
    ),
    "fs_section": (
        "{domain} compared with the national figure, {wave}",
        "{domain} vergeleken met het landelijke cijfer, {wave}",
    ),
    "fs_explain": (
        "Each row compares {domain} ({variable}) with the national figure of {wave} within "
        "one group (political office holders with political office holders, employees with "
        "employees), the difference tested on the full design, and shows the change since "
        "{previous}. ▲ and ▼ mark differences that hold up after Holm's adjustment across "
        "the values of {variable} within the group, per indicator; grey rows (†) do not "
        "meet the publication rules, for the reason given "
        "below the table, and get no mark. The interval of a difference is not adjusted: it "
        "is the 95% interval of that one comparison. The marks use Holm-adjusted p-values, "
        "which allow for testing every value of {variable} at once, so a difference whose "
        "interval excludes 0 may still get no mark.",
        "Elke rij vergelijkt {domain} ({variable}) met het landelijke cijfer van {wave} "
        "binnen één groep (politieke ambtsdragers met politieke ambtsdragers, medewerkers met "
        "medewerkers), het verschil getoetst op het volledige steekproefontwerp, en toont de "
        "verandering sinds {previous}. ▲ en ▼ markeren verschillen die standhouden na Holms "
        "correctie over de waarden van {variable} binnen de groep, per indicator; grijze "
        "rijen (†) voldoen niet aan de publicatieregels, "
        "om de reden onder de tabel, en krijgen geen markering. Het interval van een "
        "verschil is niet gecorrigeerd: het is het 95%-interval van die ene vergelijking. De "
        "markeringen gebruiken met Holm gecorrigeerde p-waarden, die rekening houden met het "
        "toetsen van alle waarden van {variable} tegelijk; een verschil waarvan het "
        "interval 0 niet bevat, kan dus toch zonder markering blijven.",
    ),
    "fs_no_previous": ("no earlier wave", "geen eerdere meting"),
    "fs_col_indicator": ("indicator", "indicator"),
    "fs_col_national": ("national", "landelijk"),
    "fs_col_difference": (
        "difference from national (points)",
        "verschil met landelijk (%-punt)",
    ),
    "fs_col_change": ("change since {previous} (points)", "verandering sinds {previous} (%-punt)"),
    "fs_method": (
        "Estimates are design-based ({design}) with 95% intervals. The national figure includes"
        " {domain}, so the two are not independent: the difference and its interval are "
        "estimated on the full design, with the covariance between {domain} and the nation, "
        "within each group (political office holders, employees). p-values are Holm-adjusted "
        "across the domains within a group, per indicator, separately for the comparison with "
        "the national figure and for the change since the previous wave. Produced by "
        "vpt_monitor.",
        "De schattingen houden rekening met het steekproefontwerp ({design}); intervallen zijn "
        "95%. Het landelijke cijfer omvat {domain}, dus de twee zijn niet onafhankelijk: het "
        "verschil en het interval ervan zijn geschat op het volledige ontwerp, met de "
        "covariantie tussen {domain} en het land, binnen elke groep (politieke ambtsdragers, "
        "medewerkers). De p-waarden zijn met Holm gecorrigeerd over de domeinen binnen een "
        "groep, per indicator, apart voor de vergelijking met landelijk en voor de verandering "
        "sinds de vorige meting. Gemaakt met vpt_monitor.",
    ),
    "fs_method_index": (
        "Estimates are design-based ({design}) with 95% intervals. The national figure includes"
        " the figures by {variable}: a figure by {variable} and the national one are not "
        "independent. The difference and its interval are estimated on the full design, with "
        "the covariance between the two, within each group (political office holders, "
        "employees). p-values are Holm-adjusted across the domains within a group, per "
        "indicator, separately for the comparison with the national figure and for the change "
        "since the previous wave. Produced by vpt_monitor.",
        "De schattingen houden rekening met het steekproefontwerp ({design}); intervallen zijn "
        "95%. Het landelijke cijfer omvat de cijfers per {variable}: een cijfer per {variable} "
        "en het landelijke cijfer zijn dus niet onafhankelijk. Het verschil en het interval "
        "ervan zijn geschat op het volledige ontwerp, met de covariantie tussen de twee, "
        "binnen elke groep (politieke ambtsdragers, medewerkers). De p-waarden zijn met Holm "
        "gecorrigeerd over de domeinen binnen een groep, per indicator, apart voor de "
        "vergelijking met landelijk en voor de verandering sinds de vorige meting. Gemaakt met "
        "vpt_monitor.",
    ),
    "fs_index_title": (
        "Monitor Integriteit en Veiligheid: factsheets by {variable}, {wave}",
        "Monitor Integriteit en Veiligheid: factsheets per {variable}, {wave}",
    ),
    "fs_index_lead": (
        "One page per {variable} ({count}), each comparing it with the national figure on "
        "every headline indicator. All pages in one PDF: factsheets.pdf.",
        "Eén pagina per {variable} ({count}), die elk de {variable} vergelijkt met het "
        "landelijke cijfer op elke kernindicator. Alle pagina's in één PDF: factsheets.pdf.",
    ),
    "fs_index_lead_no_pdf": (
        "One page per {variable} ({count}), each comparing it with the national figure on "
        "every headline indicator.",
        "Eén pagina per {variable} ({count}), die elk de {variable} vergelijkt met het "
        "landelijke cijfer op elke kernindicator.",
    ),
    "fs_without_page": (
        "No page for {domains}: no respondents in {wave}.",
        "Geen pagina voor {domains}: geen respondenten in {wave}.",
    ),
    "fs_unknown": (
        "{count} respondents of {wave} have no known {variable}; they count in the national "
        "figures, not on any page.",
        "{count} respondenten van {wave} hebben geen bekende {variable}; zij tellen mee in de "
        "landelijke cijfers, niet op een pagina.",
    ),
    "fs_unknown_one": (
        "{count} respondent of {wave} has no known {variable}; they count in the national "
        "figures, not on any page.",
        "{count} respondent van {wave} heeft geen bekende {variable}; die telt mee in de "
        "landelijke cijfers, niet op een pagina.",
    ),
    "fs_pages": ("Factsheets", "Factsheets"),
    "fs_national": ("National figures, {wave}", "Landelijke cijfers, {wave}"),
    "fs_higher": ("higher", "hoger"),
    "fs_lower": ("lower", "lager"),
    "fs_summary_line": (
        "{domain}: {indicator} {direction} than nationally ({difference} points; adjusted {p})",
        "{domain}: {indicator} {direction} dan landelijk ({difference} procentpunt; "
        "gecorrigeerde {p})",
    ),
    "fs_summary_none": (
        "{domain}: no indicator differs significantly from the national figure",
        "{domain}: geen indicator wijkt significant af van het landelijke cijfer",
    ),
    "fs_summary_files": (
        "Pages: `index.html` and one HTML file per {variable}; tables: `tables/`.",
        "Pagina's: `index.html` en één HTML-bestand per {variable}; tabellen: `tables/`.",
    ),
    "fs_figure": (
        "{domain} (blue circles) and national (orange diamonds), {wave}, with 95% intervals",
        "{domain} (blauwe rondjes) en landelijk (oranje ruiten), {wave}, met 95%-intervallen",
    ),
    "fs_axis": ("%", "%"),
    "fs_back": ("All factsheets", "Alle factsheets"),
    # the weighting report (vpt_monitor.report.weighting)
    "weighting_title": (
        "Monitor Integriteit en Veiligheid: weighting of wave {wave}",
        "Monitor Integriteit en Veiligheid: weging van meting {wave}",
    ),
    "weighting_intro": (
        "Wave {wave}: {n} respondents weighted to {lines} population counts of {variables}; "
        "population {population}.",
        "Meting {wave}: {n} respondenten gewogen naar {lines} populatieaantallen van "
        "{variables}; populatie {population}.",
    ),
    "weighting_lead": (
        "Kish's design effect of unequal weights went from {before} to {after}, the effective "
        "sample size from {n_before} to {n_after} of {n} respondents.",
        "Het design-effect van ongelijke gewichten (Kish) ging van {before} naar {after}, de "
        "effectieve steekproefomvang van {n_before} naar {n_after} van {n} respondenten.",
    ),
    "weighting_what": ("What was weighted", "Wat is gewogen"),
    "weighting_wave": ("Wave: {wave}", "Meting: {wave}"),
    "weighting_method": ("Method: {method}", "Methode: {method}"),
    "weighting_method_linear": (
        "linear calibration (GREG)",
        "lineaire kalibratie (GREG)",
    ),
    "weighting_method_raking": (
        "raking (method='raking')",
        "raking: iteratief aanpassen aan de marges (method='raking')",
    ),
    "weighting_method_logit": (
        "logit calibration (bounded)",
        "logit-kalibratie (begrensd)",
    ),
    "weighting_bounds": (
        "Bounds on the g-weights: {low} to {high}",
        "Grenzen aan de g-gewichten: {low} tot {high}",
    ),
    "weighting_no_bounds": ("Bounds on the g-weights: none", "Grenzen aan de g-gewichten: geen"),
    "weighting_population": ("Population counts: {source}", "Populatieaantallen: {source}"),
    "weighting_data": ("Data: {source}", "Gegevens: {source}"),
    "weighting_weights": ("Weights before and after", "Gewichten voor en na de weging"),
    "weighting_weights_table": ("Weights of wave {wave}", "Gewichten van meting {wave}"),
    "weighting_g_table": (
        "g-weights (new weight over old weight)",
        "g-gewichten (nieuw gewicht gedeeld door oud gewicht)",
    ),
    "weighting_before": ("before", "voor"),
    "weighting_after": ("after", "na"),
    "weighting_figure": (
        "Weights of wave {wave} before and after weighting",
        "Gewichten van meting {wave} voor en na de weging",
    ),
    "weighting_figure_g": ("g-weights", "g-gewichten"),
    "weighting_figure_count": ("respondents", "respondenten"),
    "weighting_figure_weight": ("weight", "gewicht"),
    "weighting_margins": (
        "Margins against the population",
        "Marges vergeleken met de populatie",
    ),
    "weighting_margins_note": (
        "Weighted counts of wave {wave} before and after weighting, against the population "
        "counts; after weighting they equal the population counts (to the calibration's "
        "tolerance).",
        "Gewogen aantallen van meting {wave} voor en na de weging, vergeleken met de "
        "populatieaantallen; na de weging zijn ze gelijk aan de populatieaantallen (op de "
        "tolerantie van de kalibratie na).",
    ),
    "weighting_method_note": (
        "The g-weight of a respondent is the new weight over the old one. Kish's design "
        "effect of unequal weights is 1 + CV² of the weights, the effective sample size n "
        "over it; both leave out clustering and the gain from calibration. Standard errors "
        "account for the calibration only when computed from the weighted data that "
        "MonitorData.weight returns, in the same session. The weighted files written here "
        "hold the new weights alone: read back, they give standard errors for fixed weights, "
        "which leave out the gain from calibration (usually a little too large). "
        "Produced by vpt_monitor.",
        "Het g-gewicht van een respondent is het nieuwe gewicht gedeeld door het oude. Het "
        "design-effect van ongelijke gewichten (Kish) is 1 + CV² van de gewichten, de "
        "effectieve steekproefomvang n gedeeld daardoor; beide laten clustering en de winst "
        "van kalibratie buiten beschouwing. Standaardfouten houden alleen rekening met de "
        "kalibratie als ze in dezelfde sessie worden berekend op de gewogen gegevens die "
        "MonitorData.weight teruggeeft. De hier geschreven gewogen bestanden bevatten alleen "
        "de nieuwe gewichten: opnieuw ingelezen geven ze standaardfouten voor vaste "
        "gewichten, zonder de winst van kalibratie (meestal iets te groot). "
        "Gemaakt met vpt_monitor.",
    ),
    "weighting_summary_files": (
        "Files: index.html (this report with the figure), summary.md (this summary), "
        "margins.csv, weights.csv.",
        "Bestanden: index.html (dit rapport met de figuur), summary.md (deze samenvatting), "
        "margins.csv, weights.csv.",
    ),
    "weighting_data_files": (
        "Weighted data: {files} (the respondents file with the new weights of wave {wave}, "
        "every other column and file as it was delivered).",
        "Gewogen gegevens: {files} (het respondentenbestand met de nieuwe gewichten van "
        "meting {wave}, alle andere kolommen en bestanden zoals ze zijn aangeleverd).",
    ),
    "col_category": ("category", "categorie"),
    "col_variable": ("variable", "variabele"),
    "col_population": ("population", "populatie"),
    "col_before": ("weighted before", "gewogen voor"),
    "col_before_diff": ("before vs population", "voor t.o.v. populatie"),
    "col_after": ("weighted after", "gewogen na"),
    "col_weight_sum": ("sum", "som"),
    "col_minimum": ("minimum", "minimum"),
    "col_q1": ("1st quartile", "1e kwartiel"),
    "col_median": ("median", "mediaan"),
    "col_q3": ("3rd quartile", "3e kwartiel"),
    "col_maximum": ("maximum", "maximum"),
    "col_ratio": ("max/min", "max/min"),
    "col_deff": ("Kish deff", "deff (Kish)"),
    "col_n_effective": ("effective n", "effectieve n"),
    "col_weights": ("weights", "gewichten"),
}

#: The factsheets' headline indicators: ``key: (English, Dutch)``.
INDICATORS: Mapping[str, tuple[str, str]] = {
    "victimisation": (
        "victimised in the past 12 months",
        "slachtoffer in de afgelopen 12 maanden",
    ),
    "verbal": ("verbal aggression", "verbale agressie"),
    "threat": ("threats and intimidation", "bedreiging en intimidatie"),
    "physical": ("physical violence", "fysiek geweld"),
    "social_media": ("aggression via social media", "agressie via sociale media"),
    # "among victims", not "(victims)": the row adds its group in parentheses, and
    # "negatieve gevolgen (slachtoffers) (politieke ambtsdragers)" read as two asides
    "adverse": ("adverse consequences among victims", "negatieve gevolgen bij slachtoffers"),
    "reported_internally": (
        "incidents reported internally",
        "incidenten gemeld binnen de organisatie",
    ),
    "police_report": ("incidents reported to the police", "incidenten met aangifte"),
    "decision_influence": (
        "decisions influenced (political office holders)",
        "besluitvorming beïnvloed (politieke ambtsdragers)",
    ),
    "perceived_violations": (
        "perceived integrity violations",
        "waargenomen integriteitsschendingen",
    ),
}

#: Dutch for the publication rules' reasons (:meth:`vpt_monitor.stats.Estimate.reliability`).
_REASONS: Mapping[str, str] = {
    "no observations": "geen waarnemingen",
    "effective sample size below 30": "effectieve steekproefomvang kleiner dan 30",
    "interval wider than 0.30": "interval breder dan 30 procentpunt",
    "interval wider than 130% of the estimate": "interval breder dan 130% van de schatting",
    "fewer than 8 degrees of freedom": "minder dan 8 vrijheidsgraden",
    "relative standard error above 30%": "relatieve standaardfout groter dan 30%",
    "fewer than 20 events": "minder dan 20 gebeurtenissen",
    "zero standard error": "standaardfout nul",
    "no standard error": "geen standaardfout",
    "more than 30% of the domain did not answer": "meer dan 30% van het domein gaf geen antwoord",
}

#: The report's English for the reasons that :mod:`vpt_monitor.stats` words for shares as
#: fractions: the report prints shares in per cent, so a width of 0.30 is 30 points.
_REASONS_EN: Mapping[str, str] = {
    "interval wider than 0.30": "interval wider than 30 points",
}

#: Dutch for the estimators' explanations that follow a reason (``flag_detail``); the
#: longer phrase first where one begins another.
_DETAILS: tuple[tuple[str, str], ...] = (
    (
        "all its PSUs lie in strata sampled completely or in single-PSU strata that add no "
        "variance",
        "al haar PSU's liggen in volledig getrokken strata of in strata met één PSU die geen "
        "variantie bijdragen",
    ),
    (
        "all its PSUs lie in strata sampled completely (fpc equal to the PSUs sampled)",
        "al haar PSU's liggen in volledig getrokken strata (eindige-populatiecorrectie gelijk "
        "aan het aantal getrokken PSU's)",
    ),
    ("all its rows lie in one PSU", "al haar rijen liggen in één PSU"),
    ("it is fixed by the calibration of the weights", "ze ligt vast door de kalibratie"),
    ("every replicate gives the same estimate", "elke replicaat geeft dezelfde schatting"),
    ("its PSU totals do not vary within strata", "haar PSU-totalen variëren niet binnen strata"),
    (
        "an end of the interval lies beyond the data's range",
        "een grens van het interval ligt buiten het bereik van de gegevens",
    ),
)


def text(key: str, language: str, **values: Any) -> str:
    """Return the sentence ``key`` in ``language``, its fields filled from ``values``.

    Examples
    --------
    >>> from vpt_monitor.report.text import text
    >>> text("section_change", "nl", first=2014, last=2016)
    'Verandering van 2014 naar 2016'
    """
    pair = TEXT[key]
    chosen = pair[0] if check_language(language) == "en" else pair[1]
    return chosen.format(**values) if values else chosen


def reason(english: str, language: str) -> str:
    """Return a reason the publication rules give, in ``language``.

    Examples
    --------
    >>> from vpt_monitor.report.text import reason
    >>> reason("effective sample size below 30", "nl")
    'effectieve steekproefomvang kleiner dan 30'
    >>> reason("zero standard error: all its rows lie in one PSU", "nl")
    'standaardfout nul: al haar rijen liggen in één PSU'
    >>> reason("interval wider than 0.30", "en")
    'interval wider than 30 points'
    """
    if check_language(language) == "en":
        for known, words in _REASONS_EN.items():
            if english == known:
                return words
        return english
    for known, dutch in _REASONS.items():
        if english == known or english.startswith(known + ":"):
            rest = english[len(known) :]
            for phrase, translated in _DETAILS:
                rest = rest.replace(phrase, translated)
            return dutch + rest
    return english


#: The flags that leave an estimate without a variance to test a change with, in words.
_UNTESTABLE: Mapping[str, tuple[str, str]] = {
    "boundary": ("estimate at 0% or 100%", "schatting op 0% of 100%"),
    "zero_variance": ("zero variance", "variantie nul"),
    "no_df": ("no degrees of freedom", "geen vrijheidsgraden"),
    "empty": ("no respondents", "geen respondenten"),
    "not_measured": ("not measured", "niet gemeten"),
}


def change_reason(english: str, language: str) -> str:
    """Return why a change is not called significant (``ChangeTable.reasons``), in ``language``.

    The parts, separated by ``"; "``, are a wave's publication rules (``"2014: effective
    sample size below 30"``), a wave without a variance, a row missing from one of the waves,
    forms a wave did not ask (``"2014: did not ask fysiek"``) and method breaks
    (``"method break 2012-2014: ..."``).

    Examples
    --------
    >>> from vpt_monitor.report.text import change_reason
    >>> change_reason("2014: effective sample size below 30; not in both waves", "nl")
    '2014: effectieve steekproefomvang kleiner dan 30; niet in beide metingen'
    """
    from vpt_monitor.indicators.change import ASKED_NOT, break_note, question_note

    chosen = check_language(language)
    parts = []
    for part in filter(None, english.split("; ")):
        wave, _, rest = part.partition(": ")
        if part.startswith("method break "):
            shown = break_note(part.removeprefix("method break "), chosen)
            parts.append(f"{text('fig_break', chosen)} {shown}")
        elif ASKED_NOT in part:
            parts.append(question_note(part, chosen))
        elif part == "not in both waves":
            parts.append(text("not_in_both_waves", chosen))
        elif wave.isdigit() and rest.endswith(" (no variance to test with)"):
            flags = rest.removesuffix(" (no variance to test with)").split(", ")
            words = ", ".join(_pick(_UNTESTABLE.get(flag, (flag, flag)), chosen) for flag in flags)
            parts.append(f"{wave}: {words} ({text('no_variance_to_test', chosen)})")
        elif wave.isdigit():
            parts.append(f"{wave}: {reason(rest, chosen)}")
        else:
            parts.append(reason(part, chosen))
    return "; ".join(parts)


def indicator(key: str, language: str) -> str:
    """Return the name of a headline indicator in ``language``."""
    pair = INDICATORS[key]
    return pair[0] if check_language(language) == "en" else pair[1]


_FILES: Mapping[str, tuple[str, str]] = {
    "respondents": ("respondents", "respondenten"),
    "incidents": ("incidents", "incidenten"),
    "organisations": ("organisations", "organisaties"),
    "violations": ("violations", "schendingen"),
    "codebook": ("codebook", "codeboek"),
}

_SOURCE_NOTES: Mapping[str, str] = {
    ": columns not read: ": ": kolommen niet gelezen: ",
    ": cells with a missing-value code read as empty: ": (
        ": cellen met een code voor een ontbrekende waarde gelezen als leeg: "
    ),
    " (did you mean ": " (bedoeld: ",
}


def source_text(source: str, language: str) -> str:
    """Return where the data came from (``data.source``) in words, in ``language``.

    :func:`~vpt_monitor.read_monitor` records its files as the call that read them, with
    notes in English; a page shows the files by table and the notes in its language.
    Another source is returned as it is.

    Examples
    --------
    >>> from vpt_monitor.report.text import source_text
    >>> source_text("read_monitor(respondents='r.csv'); r.csv: columns not read: x", "nl")
    'respondenten r.csv; r.csv: kolommen niet gelezen: x'
    >>> source_text("read_monitor(respondents='r.csv')", "en")
    'respondents r.csv'
    """
    import ast

    chosen = 0 if check_language(language) == "en" else 1
    if not source.startswith("read_monitor("):
        return source
    call: ast.expr | None = None
    end = 0
    for end, character in enumerate(source):  # the call ends at the first ")" closing it
        if character != ")":
            continue
        try:
            call = ast.parse(source[: end + 1], mode="eval").body
        except SyntaxError:
            continue
        break
    if not isinstance(call, ast.Call):
        return source
    files = []
    for keyword in call.keywords:
        try:
            path = ast.literal_eval(keyword.value)
        except ValueError:
            return source
        name = _FILES.get(str(keyword.arg), (str(keyword.arg),) * 2)[chosen]
        files.append(f"{name} {path}")
    notes = [n for n in source[end + 1 :].split("; ") if n]
    if chosen:
        for english, dutch in _SOURCE_NOTES.items():
            notes = [n.replace(english, dutch) for n in notes]
    return "; ".join([", ".join(files), *notes])
