"""A second round of synonym groups of the field, and expressions matched side by side.

Written, like search.0009, by a helper who saw neither the evaluation queries nor the
search code: everyday and professional ways of saying the same thing (*manglende
fremmøde ~ udeblivelse*, *melde sig syg ~ sygemelding*, *tilskudsjob ~ løntilskud*),
loanwords and their Danish words, and members added to groups of search.0009 (MERGED).
Reviewed: members that are common words on their own (*sur*, *LIS*, *ADD*, *MI*,
*recording*) and members the admin would refuse (the same word for the search as
another member, or an expression whose small words leave one word) were left out.
Editors change or delete them in the admin like any other group.
"""

from django.db import migrations, models

SEED = [
    (
        "udeblivelse, no-show, manglende fremmøde, pjække",
        'når borgeren ikke møder op; "ikke møde op" er udeladt, fordi kun "møde" er tilbage efter stopord',
    ),
    (
        "frafald, dropout, droppe ud af uddannelse, falde fra uddannelse, afbrudt uddannelse, uddannelsesfrafald, studiefrafald",
        "unge der falder fra",
    ),
    (
        "fastholdelse i uddannelse, uddannelsesfastholdelse, gennemførelse af uddannelse",
        "at blive i uddannelsen",
    ),
    ("afskedigelse, afskedige, fyring, miste jobbet", "arbejdsgiveren afslutter ansættelsen"),
    ("selvforskyldt ledighed, karantæneperiode", "dagpengekarantæne"),
    ("120-dagesreglen, 120 dages reglen", "afskedigelse efter 120 sygedage"),
    ("raskmelding, raskmelde, melde sig rask", ""),
    ("sygemelding, melde sig syg, sygeorlov, sygeskrevet", "hverdagsord for at være sygemeldt"),
    (
        "langtidssygemeldt, langtidssygemelding, langvarig sygemelding, langtidssyg, langvarigt syg",
        "",
    ),
    (
        "gradvis optrapning, optrapning af timer, trappe timer op, optrapningsplan, gradvis tilbagevenden",
        "gradvis tilbage på fuld tid",
    ),
    (
        "nedsat arbejdstid, nedsætte arbejdstiden, reduceret arbejdstid, nedsat tid, reduceret tid",
        '"gå ned i tid"',
    ),
    ("forlængelse af sygedagpenge, forlængelsesregler, forlængelsesmulighed", ""),
    ("ophør af sygedagpenge, sygedagpengeophør, stop for sygedagpenge, miste sygedagpenge", ""),
    ("arbejdsgiverperiode, arbejdsgiverbetalt sygdom", ""),
    ("sygedagpengerefusion, refusion af sygedagpenge, arbejdsgiverrefusion", ""),
    ("mulighedserklæring, mulighedssamtale", ""),
    ("tilbagefald, gensygemelding, ny sygemelding, recidiv", ""),
    ("arbejdsskade, arbejdsulykke, ulykke på arbejdet, arbejdsskadesag", ""),
    ("kronisk sygdom, kronisk syg, kronisk lidelse, kroniker", ""),
    ("kroniske smerter, langvarige smerter, smertelidelse, smerteproblematik, smertepatient", ""),
    ("ondt i nakken, nakkesmerter, nakkeproblemer, piskesmæld, whiplash", ""),
    ("depression, depressiv, nedtrykthed, tungsindighed", ""),
    ("angst, angstlidelse, angsttilstand, angstanfald", ""),
    ("ADHD, opmærksomhedsforstyrrelse, hyperaktivitet", ""),
    ("hjerneskade, erhvervet hjerneskade, ABI", ""),
    ("kræft, cancer, kræftsygdom, kræftpatient", ""),
    ("søvnproblemer, søvnbesvær, dårlig søvn, søvnløshed, insomni, vendt døgnrytme", ""),
    ("ensomhed, social isolation, socialt isoleret", ""),
    ("mistrivsel, mistrives, dårlig trivsel, lav trivsel, ondt i livet", ""),
    ("psykiatri, psykiatrisk behandling, distriktspsykiatri", ""),
    ("udredning, psykiatrisk udredning, lægelig udredning, diagnosticering", ""),
    ("psykologbehandling, psykologhjælp, samtaleterapi, psykologsamtale", ""),
    ("genoptræning, genoptræningsforløb, genoptræningsplan", ""),
    ("speciallægeerklæring, speciallægeudtalelse, speciallægevurdering", ""),
    ("lægekonsulent, kommunal lægekonsulent, lægefaglig rådgivning", ""),
    (
        "sundhedskoordinator, sundhedsfaglig rådgiver, klinisk sundhedsfaglig rådgiver, klinisk funktion",
        "",
    ),
    ("arbejdsevnevurdering, arbejdsevnebeskrivelse, vurdering af arbejdsevne, ressourceprofil", ""),
    ("visitation, visitering, visitere, målgruppevurdering, kategorisering", ""),
    ("uddannelsesparat, uddannelsesklar, klar til uddannelse, åbenlyst uddannelsesparat", ""),
    ("tættere på arbejdsmarkedet, nærmere arbejdsmarkedet", ""),
    (
        "visiteret til fleksjob, fleksjobvisitation, bevilling af fleksjob, tilkendelse af fleksjob",
        "",
    ),
    ("ledighedsydelse, ledighedsydelsesmodtager, ledig fleksjobvisiteret", ""),
    ("fleksjobansat, ansat i fleksjob", ""),
    ("personlig assistance, personlig assistent, personlig assistance til handicappede", ""),
    ("hjælpemiddel, arbejdsredskab, arbejdspladsindretning, indretning af arbejdsplads", ""),
    ("jobsøgning, søge job, søge arbejde, jobjagt", ""),
    ("jobansøgning, ansøgningsskrivning, skrive ansøgning", ""),
    ("CV, curriculum vitae, CV-skrivning", ""),
    ("joblog, jobsøgningslog", ""),
    ("jobsøgningskrav, søgekrav, krav om jobsøgning", ""),
    ("jobplan, handleplan, indsatsplan", ""),
    ("kontaktforløb, samtaleforløb, jobcentersamtale, kontaktforløbssamtale", ""),
    ("indledende samtale, opstartssamtale, første samtale, visitationssamtale", ""),
    ("matching, matchning, jobmatch, jobmatching, jobformidling, kandidatmatch", ""),
    (
        "opkvalificering, opskoling, kompetenceløft, efteruddannelse, videreuddannelse, upskilling",
        "",
    ),
    ("omskoling, reskilling, uddannelsesskift, karriereskift, brancheskift, skifte branche", ""),
    (
        "kompetenceafklaring, kompetencekortlægning, kortlægning af kompetencer, kompetenceafdækning, kompetencescreening",
        "",
    ),
    ("realkompetencevurdering, RKV, anerkendelse af realkompetencer", ""),
    ("bløde kompetencer, soft skills, personlige kompetencer, sociale kompetencer", ""),
    ("jobrotation, jobrotationsvikar, rotationsvikar", ""),
    ("voksenlærling, voksenlærlingeordning, voksenelev", ""),
    ("seniorjob, seniorjobordning", ""),
    ("deltidsarbejde, deltidsjob, deltidsstilling, deltid", ""),
    ("225-timersreglen, 225 timers reglen", "krav om ordinære løntimer"),
    ("genoptjening, genoptjeningskrav, genoptjene dagpengeretten", ""),
    ("opbrugt dagpengeret, udløbet dagpengeret, dagpengeophør, falde ud af dagpengesystemet", ""),
    ("rådighedsafprøvning, rådighedsprøvning, afprøvning af rådighed, rådighedsvurdering", ""),
    ("modregning, modregne, fradrag i ydelse, fradrag for indtægt", ""),
    ("tilbagebetaling, tilbagebetalingskrav, krav om tilbagebetaling, betale tilbage", ""),
    (
        "socialt bedrageri, socialsnyd, bedrageri, uberettiget udbetaling, snyd med sociale ydelser",
        "",
    ),
    ("gensidig forsørgelsespligt, forsørgelsespligt, ægtefælles forsørgelsespligt", ""),
    ("kontanthjælpsloft, ydelsesloft, loft over ydelse", ""),
    ("gæld, gældsproblemer, økonomiske problemer, pengeproblemer, dårlig økonomi", ""),
    ("uddannelsesvejledning, studievejledning, erhvervsvejledning, karrierevejledning", ""),
    ("uddannelsesvejleder, UU-vejleder, ungevejleder", ""),
    (
        "unge uden ungdomsuddannelse, unge uden uddannelse, unge uden kompetencegivende uddannelse",
        "",
    ),
    (
        "studiestart, uddannelsesstart, optagelse på uddannelse, starte på uddannelse, tilbage på skolebænken",
        "",
    ),
    ("brobygning, brobygningsforløb, bro til uddannelse", ""),
    ("skoletræthed, uddannelsestræt", ""),
    ("forældresamarbejde, forældreinddragelse, inddragelse af forældre", ""),
    ("ukrainere, ukrainske fordrevne, fordrevne fra ukraine, ukrainske flygtninge", ""),
    ("indvandrerkvinder, minoritetskvinder, kvinder med minoritetsbaggrund", ""),
    ("udenlandsk arbejdskraft, international arbejdskraft, udenlandske medarbejdere", ""),
    (
        "jobrettet danskundervisning, jobrettet dansk, erhvervsrettet danskundervisning, arbejdsmarkedsrettet dansk",
        "",
    ),
    ("sprogbarriere, sprogvanskeligheder, sproglige udfordringer, begrænsede danskkundskaber", ""),
    ("danskkundskaber, danskfærdigheder, sprogfærdigheder, sprogkundskaber", ""),
    (
        "rekruttere, finde medarbejdere, finde arbejdskraft, skaffe arbejdskraft, søge medarbejdere",
        "",
    ),
    (
        "opsøgende virksomhedskontakt, virksomhedsopsøgende, kanvas, virksomhedskanvas, kold kanvas",
        "",
    ),
    ("jobordre, stillingsordre, rekrutteringsordre", ""),
    (
        "utilfredshed, utilfreds, dårlig oplevelse, negativ oplevelse, frustration",
        "virksomhed eller borger er sur på jobcentret",
    ),
    ("klage, klagesag, klage over afgørelse, anke, påklage", ""),
    (
        "tilfredshedsmåling, tilfredshedsundersøgelse, brugertilfredshed, kundetilfredshed, virksomhedstilfredshed",
        "",
    ),
    ("partnerskabsaftale, samarbejdsaftale, virksomhedspartnerskab, strategisk partnerskab", ""),
    ("branchepakke, brancheforløb, branchespor, jobspor, branchekursus", ""),
    (
        "jobmesse, rekrutteringsmesse, jobdag, rekrutteringsevent, jobfestival, jobspeeddating, speed dating",
        "",
    ),
    ("jobklub, jobcafé, jobværksted", ""),
    ("onboarding, introforløb, introduktionsforløb, opstartsforløb, velkomstforløb", ""),
    ("oplæring, sidemandsoplæring, oplæringsforløb, oplæring på jobbet", ""),
    ("jobcoach, job coach, beskæftigelsescoach, karrierecoach", ""),
    ("case management, casemanagement, case manager, casemanager", ""),
    (
        "virksomhedsrettet indsats, virksomhedsrettet tilbud, virksomhedsnær indsats, virksomhedsrettet aktivering",
        "",
    ),
    (
        "håndholdt indsats, håndholdt, tæt opfølgning, intensiv indsats, tæt kontakt, intensivt kontaktforløb",
        "",
    ),
    (
        "helhedsorienteret indsats, sammenhængende indsats, helhedssyn, helhedsorienteret sagsbehandling",
        "",
    ),
    (
        "tværfaglighed, tværfagligt samarbejde, tværsektorielt samarbejde, samarbejde på tværs, tværgående samarbejde",
        "",
    ),
    ("borgerinddragelse, inddragelse af borgeren, brugerinddragelse, borgerperspektiv", ""),
    ("samskabelse, co-creation, samproduktion", ""),
    ("motiverende samtale, motivational interviewing, motiverende interview", ""),
    ("manglende motivation, umotiveret, motivationsproblemer", ""),
    ("relationsarbejde, relationelt arbejde, relationel velfærd, relationsopbygning", ""),
    ("recovery, recoveryorienteret, recovery-orienteret, recoverytilgang", ""),
    ("styrkebaseret, ressourcefokuseret, ressourceorienteret, styrkebaseret tilgang", ""),
    ("empowerment, myndiggørelse, egenmestring, mestring", ""),
    ("progression, progressionsmåling, progressionsværktøj, måling af progression", ""),
    ("forventningsafstemning, afstemme forventninger", ""),
    ("sagsstamme, caseload, sagsbelastning, sagstal", ""),
    ("arbejdspres, arbejdsbyrde, travlhed, tidspres", ""),
    (
        "bureaukrati, regelbøvl, papirarbejde, administrative byrder, dokumentationskrav, proceskrav",
        "",
    ),
    ("frisættelse, afbureaukratisering, regelforenkling, frikommune, frikommuneforsøg", ""),
    (
        "beskæftigelsesreform, reform af beskæftigelsesindsatsen, nyt beskæftigelsessystem, jobcenterreform",
        "",
    ),
    ("kontanthjælpsreform, ny kontanthjælp, forenklet kontanthjælpssystem", ""),
    ("jobcenterchef, jobcenterleder, beskæftigelseschef", ""),
    ("fagprofil, kompetenceprofil", ""),
    ("basiskompetencer, grundkompetencer, kernekompetencer", ""),
    ("fagligt skøn, professionelt skøn, faglig vurdering, skønsudøvelse", ""),
    ("sparring, faglig sparring, kollegial sparring, kollegasparring, supervision", ""),
    ("afprøvning, pilotforsøg, pilotprojekt, pilotafprøvning, forsøgsordning", ""),
    ("temadag, fagdag, inspirationsdag, temamøde", ""),
    ("videooptagelse, optaget webinar, webinaroptagelse", ""),
    ("tilmelding, tilmelde, sign up, signup", ""),
    ("nyhedsbrev, newsletter, nyhedsmail", ""),
    ("selvbetjening, selvbetjeningsløsning, digital selvbetjening, selvservice", ""),
    ("selvbooking, online booking, onlinebooking, digital tidsbestilling, booke samtale", ""),
    ("chatbot, chatrobot, virtuel assistent, digital assistent", ""),
    ("påmindelse, reminder, sms-påmindelse, mødepåmindelse", ""),
    ("on demand, behovsstyret, borgerstyret", ""),
    ("hybridmøde, hybrid møde, hybride mødeformer", ""),
    ("digitale kompetencer, digital dannelse, it-kompetencer, digitale færdigheder", ""),
    ("automatisering, RPA, softwarerobot, robotic process automation", ""),
    ("GDPR, databeskyttelse, persondata, databeskyttelsesforordningen", ""),
    ("samtykke, samtykkeerklæring, indhente samtykke", ""),
    (
        "afgang til beskæftigelse, afgang til job, jobafgang, overgang til beskæftigelse, overgang til job",
        "",
    ),
    ("effektmåling, effektevaluering, resultatmåling", ""),
    ("ledelsesinformation, dashboard", ""),
    ("KPI, nøgletal, key performance indicator", ""),
    ("benchmarking, benchmark, sammenligning med andre kommuner", ""),
    ("ledighedsprocent, ledighedsgrad, arbejdsløshedsprocent, ledighedstal", ""),
    ("refusion, statsrefusion, statslig refusion, refusionstrappe", ""),
    ("opsøgende arbejde, opsøgende indsats, outreach, opsøgende team", ""),
    ("peerstøtte, peer-støtte, ligemandsstøtte, peermedarbejder, peermentor", ""),
    ("walk and talk, gåmøde", ""),
]

# Members added to groups seeded before (by the group's words as seeded).
MERGED = [
    (
        "job med løntilskud, løntilskudsjob, løntilskud, ansættelse med løntilskud",
        [
            "tilskudsjob",
            "job med tilskud",
            "tilskudsansættelse",
            "offentligt løntilskud",
            "privat løntilskud",
        ],
    ),
    (
        "tilbagevenden til arbejdet, RTW",
        [
            "return to work",
            "komme tilbage på arbejde",
            "vende tilbage til arbejdet",
            "genoptage arbejdet",
            "tilbage i arbejde",
        ],
    ),
    ("mentor, mentorstøtte, mentorordning", ["mentoring", "mentorforløb"]),
    (
        "nydanskere, etniske minoriteter, personer med anden etnisk baggrund",
        ["indvandrer", "immigrant", "migrant", "efterkommer"],
    ),
    ("FGU, forberedende grunduddannelse", ["produktionsskole"]),
    ("KUI, kommunal ungeindsats", ["ungeindsats"]),
    (
        "ordinær beskæftigelse, ustøttet beskæftigelse",
        ["ordinært job", "ordinær ansættelse", "almindeligt job"],
    ),
    (
        "mangel på arbejdskraft, arbejdskraftmangel, mangel på medarbejdere",
        [
            "mangelområde",
            "mangelfag",
            "flaskehalsområde",
            "flaskehalsstilling",
            "rekrutteringsudfordring",
            "rekrutteringsvanskelighed",
            "svært ved at rekruttere",
        ],
    ),
    (
        "skånehensyn, skånebehov",
        ["tilpassede arbejdsopgaver", "skånsomme opgaver", "lette opgaver", "lettere arbejde"],
    ),
    ("ledig, jobsøgende", ["uden arbejde", "uden job"]),
    ("jobparat, jobklar", ["klar til job", "klar til arbejdsmarkedet"]),
    (
        "langt fra arbejdsmarkedet, længere fra arbejdsmarkedet, fjernt fra arbejdsmarkedet",
        ["på kanten af arbejdsmarkedet", "i udkanten af arbejdsmarkedet"],
    ),
    ("danskuddannelse, danskundervisning, danskkursus", ["lære dansk"]),
    ("sanktion, straf", ["træk i ydelse", "nedsættelse af ydelse"]),
    ("rådighed, rådighedsforpligtelse, rådighedskrav", ["stå til rådighed"]),
    ("virksomhedspraktik, arbejdsprøvning", ["praktikforløb", "praktik i virksomhed"]),
    ("stress, stressreaktion, belastningsreaktion", ["stressramt", "stresssygemelding"]),
    ("videomøde, onlinemøde, skærmmøde, videokonsultation", ["videoopkald"]),
    ("telefonmøde, telefonsamtale", ["telefonopfølgning"]),
    (
        "digitalt udsatte, digitalt sårbare, digitalt ekskluderede, it-svage",
        ["digitalt svage", "digital eksklusion"],
    ),
    ("handicap, funktionsnedsættelse, funktionsevnenedsættelse", ["handikap"]),
    (
        "koordinerende sagsbehandler, gennemgående sagsbehandler, tovholder",
        ["fast kontaktperson", "fast sagsbehandler"],
    ),
    ("socialøkonomisk virksomhed, social virksomhed", ["socialøkonomi"]),
    ("misbrug, misbrugsproblemer, rusmiddelproblemer, rusmiddelmisbrug", ["afhængighed"]),
    (
        "rygproblemer, rygsmerter, ondt i ryggen, dårlig ryg",
        ["lændesmerter", "rygskade", "diskusprolaps"],
    ),
    (
        "videndeling, vidensdeling, erfaringsudveksling, erfaringsdeling",
        ["erfaringsnetværk", "læringsnetværk"],
    ),
    ("kunstig intelligens, AI", ["generativ AI", "sprogmodel", "chatgpt"]),
    ("udsatte borgere, socialt udsatte, marginaliserede borgere", ["sårbare borgere"]),
    ("stillingsopslag, jobopslag, stillingsannonce, jobannonce", ["ledig stilling"]),
    ("ansættelsessamtale, jobinterview", ["jobsamtale"]),
    (
        "fastholdelse, jobfastholdelse, arbejdsfastholdelse",
        ["fastholdelsesindsats", "fastholdelsesplan"],
    ),
    ("sygeopfølgning, sygedagpengeopfølgning", ["sygesamtale"]),
    (
        "seniorer, ældre ledige, seniorledige, ledige seniorer",
        ["ældre arbejdstagere", "seniorarbejdskraft"],
    ),
]


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for words, added in MERGED:
        group = SynonymGroup.objects.filter(words=words).first()
        if group is not None:  # an editor may have changed or deleted it
            group.words = ", ".join([words, *added])
            group.save(update_fields=["words"])
    for words, note in SEED:
        SynonymGroup.objects.get_or_create(words=words, defaults={"note": note})


def unseed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    SynonymGroup.objects.filter(words__in=[words for words, _ in SEED]).delete()
    for words, added in MERGED:
        SynonymGroup.objects.filter(words=", ".join([words, *added])).update(words=words)


class Migration(migrations.Migration):
    dependencies = [("search", "0010_synonym_help_text")]

    operations = [
        migrations.AlterField(
            model_name="synonymgroup",
            name="words",
            field=models.TextField(
                help_text=(
                    "Adskil med komma. Fx: førtidspension, invalidepension. Et udtryk på flere "
                    "ord (ondt i ryggen) findes, når dets ord står sammen i teksten; småord som "
                    "»i« og »og« ser søgningen bort fra."
                ),
                verbose_name="ord og udtryk",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
