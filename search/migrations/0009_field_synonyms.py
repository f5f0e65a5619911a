"""More synonym groups of the field, for editors to start from (search.SynonymGroup).

Written from the field's vocabulary (old and new names of schemes and benefits,
abbreviations and their full names, everyday and professional words) by a helper who
had not seen the evaluation queries. Added only where a group with the same words is
not there; editors change or delete them in the admin like any other group.
"""

from django.db import migrations

SEED = [
    ("førtidspension, invalidepension", "Gammelt og nyt navn"),
    ("seniorpension, seniorførtidspension", "Seniorførtidspension blev til seniorpension i 2020"),
    ("tidlig pension, arne-pension, arnepension", "Officielt navn og hverdagsnavn"),
    ("sanktion, straf", "Hverdagsord og fagord"),
    ("kontanthjælp, bistandshjælp", "Nyt og gammelt navn"),
    (
        "SHO-ydelse, selvforsørgelses- og hjemrejseydelse, overgangsydelse, integrationsydelse",
        "Hed tidligere integrationsydelse",
    ),
    ("selvforsørgelses- og hjemrejseprogram, integrationsprogram", "Nyt og gammelt navn"),
    ("uddannelsespålæg, pålæg om uddannelse", "Fagord og omskrivning"),
    ("sygedagpenge, sygepenge", "Fagord og hverdagsord"),
    ("jobafklaringsforløb, jobafklaring", "Fuld og kort form"),
    ("dagpenge, arbejdsløshedsdagpenge, understøttelse", "Kort form, fuld form og hverdagsord"),
    ("forsikrede ledige, dagpengemodtagere", "Fagord og hverdagsord"),
    (
        "uforsikrede ledige, ikke-forsikrede ledige, ikke-forsikrede",
        "Ledige uden for a-kassesystemet",
    ),
    ("fleksjob, flexjob, fleksjobordning", "Stavevarianter"),
    ("mikrofleksjob, minifleksjob", "Hverdagsord for fleksjob med få timer"),
    ("fleksløntilskud, fleksjobtilskud, tilskud til fleksløn", "Fagord og hverdagsord"),
    ("skånejob, job på skånevilkår, ansættelse på skånevilkår", "Hverdagsord og omskrivning"),
    ("rehabiliteringsteam, rehabteam, rehab-team", "Fuld og kort form"),
    ("rehabilitering, rehab", "Fuld og kort form"),
    ("koordinerende sagsbehandler, gennemgående sagsbehandler, tovholder", "Fagord og hverdagsord"),
    ("jobparat, jobklar", "Nuværende og tidligere visitationskategori"),
    ("aktivitetsparat, indsatsklar", "Nuværende og tidligere visitationskategori"),
    ("virksomhedspraktik, arbejdsprøvning", "Nyt og ældre fagord"),
    (
        "job med løntilskud, løntilskudsjob, løntilskud, ansættelse med løntilskud",
        "Varianter af samme ordning",
    ),
    ("nytteindsats, nyttejob", "Fagord og hverdagsord"),
    ("aktivering, aktiveringstilbud", "Ældre og nyere fagord"),
    (
        "ordinær beskæftigelse, ustøttet beskæftigelse",
        "Fagord og hverdagsord",
    ),
    (
        "IPS, individuelt planlagt job med støtte, individual placement and support",
        "Forkortelse og fuldt navn",
    ),
    ("mentor, mentorstøtte, mentorordning", "Person og ordning"),
    ("virksomhedsmentor, arbejdspladsmentor, kollegamentor", "Mentor på arbejdspladsen"),
    ("seniorer, ældre ledige, seniorledige, ledige seniorer", "Målgruppe"),
    ("langtidsledige, langvarigt ledige", "Fagord og omskrivning"),
    ("udsatte borgere, socialt udsatte, marginaliserede borgere", "Målgruppe"),
    (
        "komplekse problemer, sammensatte problemer, komplekse udfordringer, sammensatte udfordringer",
        "Varianter",
    ),
    (
        "langt fra arbejdsmarkedet, længere fra arbejdsmarkedet, fjernt fra arbejdsmarkedet",
        "Målgruppe",
    ),
    (
        "nydanskere, etniske minoriteter, personer med anden etnisk baggrund",
        "Hverdagsord og fagord",
    ),
    ("danskuddannelse, danskundervisning, danskkursus", "Fagord og hverdagsord"),
    ("sprogcenter, sprogskole", "Officielt navn og hverdagsord"),
    ("tolkebistand, tolkning, tolkeydelser", "Tolkning ved samtaler"),
    ("videotolkning, skærmtolkning", "Tolkning over video"),
    ("IGU, integrationsgrunduddannelse", "Forkortelse og fuldt navn"),
    ("SIRI, styrelsen for international rekruttering og integration", "Forkortelse og fuldt navn"),
    (
        "STU, særligt tilrettelagt ungdomsuddannelse, særligt tilrettelagt uddannelse",
        "Forkortelse og fuldt navn",
    ),
    ("UU, ungdommens uddannelsesvejledning", "Forkortelse og fuldt navn"),
    ("KUI, kommunal ungeindsats", "Forkortelse og fuldt navn"),
    (
        "NEET, NEET-unge, unge uden job og uddannelse, hverken i job eller uddannelse, restgruppen",
        "Fagord og hverdagsord",
    ),
    ("ufrivilligt skolefravær, skolevægring", "Nyt og ældre fagord"),
    ("EUD, erhvervsuddannelse, erhvervsfaglig uddannelse", "Forkortelse og fuldt navn"),
    ("EGU, erhvervsgrunduddannelse", "Forkortelse og fuldt navn"),
    ("HF, højere forberedelseseksamen", "Forkortelse og fuldt navn"),
    ("VUC, voksenuddannelsescenter", "Forkortelse og fuldt navn"),
    ("AVU, almen voksenuddannelse", "Forkortelse og fuldt navn"),
    ("FVU, forberedende voksenundervisning", "Forkortelse og fuldt navn"),
    ("AMU, arbejdsmarkedsuddannelse, AMU-kursus", "Forkortelse og fuldt navn"),
    ("VEU, voksen- og efteruddannelse", "Forkortelse og fuldt navn"),
    ("6 ugers jobrettet uddannelse, seks ugers jobrettet uddannelse", "Stavevarianter"),
    ("elevplads, lærlingeplads, læreplads, praktikplads", "Praktikplads hedder nu læreplads"),
    ("SOSU, social- og sundhedsuddannelse, SOSU-uddannelse", "Forkortelse og fuldt navn"),
    (
        "SOSU-hjælper, social- og sundhedshjælper, hjemmehjælper",
        "Kort og fuld titel samt ældre hverdagsord",
    ),
    (
        "SOSU-assistent, social- og sundhedsassistent, sygehjælper, plejehjemsassistent",
        "Nuværende og tidligere titler",
    ),
    ("PAU, pædagogisk assistentuddannelse, PGU, pædagogisk grunduddannelse", "Nyt og gammelt navn"),
    ("plejecenter, plejehjem", "Nyt og gammelt navn"),
    ("lagermedarbejder, lagerarbejder", "Varianter"),
    ("rengøringsassistent, rengøringsmedarbejder", "Varianter"),
    ("ufaglært, ikke-faglært", "Varianter"),
    ("mangel på arbejdskraft, arbejdskraftmangel, mangel på medarbejdere", "Varianter"),
    ("stillingsopslag, jobopslag, stillingsannonce, jobannonce", "Varianter"),
    ("ansættelsessamtale, jobinterview", "Samtale hos arbejdsgiveren"),
    ("uopfordret ansøgning, spontanansøgning", "Varianter"),
    ("virksomhedskonsulent, virksomhedsrådgiver", "Stillingsbetegnelser"),
    (
        "jobkonsulent, jobrådgiver, beskæftigelsesrådgiver, beskæftigelseskonsulent",
        "Stillingsbetegnelser",
    ),
    ("virksomhedsservice, arbejdsgiverservice", "Varianter"),
    ("rekrutteringsservice, rekrutteringshjælp, rekrutteringsbistand", "Varianter"),
    (
        "CSR, virksomheders sociale ansvar, corporate social responsibility",
        "Forkortelse og fuldt navn",
    ),
    ("rummeligt arbejdsmarked, inkluderende arbejdsmarked", "Varianter"),
    ("socialøkonomisk virksomhed, social virksomhed", "Varianter"),
    ("fastholdelse, jobfastholdelse, arbejdsfastholdelse", "Varianter"),
    ("tilbagevenden til arbejdet, RTW", "Dansk, engelsk og forkortelse"),
    ("delvis raskmelding, delvis sygemelding, delvis genoptagelse af arbejdet", "Varianter"),
    ("sygefravær, sygdomsfravær", "Varianter"),
    ("sygeopfølgning, sygedagpengeopfølgning", "Varianter"),
    (
        "paragraf 56-aftale, 56-aftale, kronikeraftale",
        "Aftale efter sygedagpengelovens paragraf 56",
    ),
    ("lægeerklæring, lægeattest", "Varianter"),
    (
        "egen læge, praktiserende læge, alment praktiserende læge, familielæge",
        "Hverdagsord og fagord",
    ),
    ("nedsat arbejdsevne, reduceret arbejdsevne, begrænset arbejdsevne", "Varianter"),
    ("skånehensyn, skånebehov", "Varianter"),
    ("handicap, funktionsnedsættelse, funktionsevnenedsættelse", "Hverdagsord og fagord"),
    ("kompensationsloven, lov om kompensation til handicappede i erhverv", "Kort og fuldt navn"),
    (
        "udviklingshæmning, intellektuel funktionsnedsættelse, mental retardering",
        "Nyere og ældre fagord",
    ),
    ("ordblindhed, dysleksi", "Hverdagsord og fagord"),
    ("autisme, autismespektrumforstyrrelse, ASF", "Hverdagsord, fagord og forkortelse"),
    ("psykisk sårbarhed, psykisk skrøbelighed", "Varianter"),
    ("psykiske problemer, psykiske vanskeligheder, psykiske udfordringer", "Hverdagsord og fagord"),
    ("psykisk lidelse, psykisk sygdom, sindslidelse", "Nyere og ældre fagord"),
    ("mental sundhed, mental trivsel, psykisk trivsel, mentalt helbred", "Varianter"),
    ("stress, stressreaktion, belastningsreaktion", "Hverdagsord og fagord"),
    ("udbrændthed, burnout", "Dansk og engelsk"),
    ("social angst, socialfobi", "Hverdagsord og fagord"),
    (
        "PTSD, posttraumatisk stresslidelse, posttraumatisk belastningsreaktion",
        "Forkortelse og fuldt navn",
    ),
    ("fatigue, udtrættelighed, udmattelse", "Fagord og hverdagsord"),
    ("koncentrationsbesvær, koncentrationsproblemer, koncentrationsvanskeligheder", "Varianter"),
    ("rygproblemer, rygsmerter, ondt i ryggen, dårlig ryg", "Hverdagsord og fagord"),
    ("postcommotionelt syndrom, senfølger efter hjernerystelse, PCS", "Fagord og hverdagsord"),
    ("long covid, senfølger efter covid-19, postcovid, langtidscovid", "Varianter"),
    ("misbrug, misbrugsproblemer, rusmiddelproblemer, rusmiddelmisbrug", "Hverdagsord og fagord"),
    ("alkoholmisbrug, alkoholproblemer, alkoholafhængighed, alkoholisme", "Varianter"),
    ("stofmisbrug, narkotikamisbrug, stofproblemer", "Varianter"),
    ("misbrugsbehandling, rusmiddelbehandling, afvænning", "Varianter"),
    ("ludomani, spilleafhængighed, spillemisbrug", "Fagord og hverdagsord"),
    ("hjemløs, boligløs, uden fast bopæl", "Varianter"),
    ("videomøde, onlinemøde, skærmmøde, videokonsultation", "Møder over video"),
    ("telefonmøde, telefonsamtale", "Møder over telefon"),
    ("digitale kontaktformer, digitale mødeformer", "Varianter"),
    ("webinar, webseminar, onlineseminar", "Varianter"),
    ("e-læring, e-learning, onlinekursus, online kursus", "Varianter"),
    ("e-vejledning, digital vejledning, online vejledning", "Varianter"),
    ("digitalisering, digital omstilling, digital transformation", "Varianter"),
    ("digitalt udsatte, digitalt sårbare, digitalt ekskluderede, it-svage", "Målgruppe"),
    ("kunstig intelligens, AI", "Dansk og forkortelse"),
    ("mitid, nemid", "Nyt og gammelt login"),
    ("digital post, e-boks, digital postkasse, mit.dk", "Hverdagsord og officielt navn"),
    ("jobnet, jobnet.dk", "Kort form og adresse"),
    ("KY, kommunernes ydelsessystem", "Forkortelse og fuldt navn"),
    ("jobcenter, arbejdsformidlingen", "Nyt navn, stavevarianter og gammelt navn"),
    ("KL, kommunernes landsforening", "Forkortelse og tidligere fulde navn"),
    ("ankestyrelsen, den sociale ankestyrelse", "Nyt og gammelt navn"),
    ("UDK, udbetaling danmark", "Forkortelse og fuldt navn"),
    ("AES, arbejdsmarkedets erhvervssikring, arbejdsskadestyrelsen", "Nyt og gammelt navn"),
    ("aktivloven, lov om aktiv socialpolitik, LAS", "Kort og fuldt navn"),
    ("sygedagpengeloven, lov om sygedagpenge", "Kort og fuldt navn"),
    ("integrationsloven, lov om integration af udlændinge i danmark", "Kort og fuldt navn"),
    ("serviceloven, lov om social service, SEL", "Kort og fuldt navn"),
    ("rådighed, rådighedsforpligtelse, rådighedskrav", "Varianter"),
    ("videndeling, vidensdeling, erfaringsudveksling, erfaringsdeling", "Varianter"),
]


# Seeded by 0007 with two members the search reads as one word, which the admin refuses
# (arbejdsløs is always searched as ledig; "Det Regionale" is "regionale").
RENAMED = {
    "RAR, regionale arbejdsmarkedsråd, Det Regionale Arbejdsmarkedsråd": (
        "RAR, regionale arbejdsmarkedsråd"
    ),
    "ledig, arbejdsløs, jobsøgende": "ledig, jobsøgende",
}


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for old, new in RENAMED.items():
        SynonymGroup.objects.filter(words=old).update(words=new)
    for words, note in SEED:
        SynonymGroup.objects.get_or_create(words=words, defaults={"note": note[:200]})


def unseed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    SynonymGroup.objects.filter(words__in=[words for words, _ in SEED]).delete()
    for old, new in RENAMED.items():
        SynonymGroup.objects.filter(words=new).update(words=old)


class Migration(migrations.Migration):
    dependencies = [("search", "0008_vector_length")]

    operations = [migrations.RunPython(seed, unseed)]
