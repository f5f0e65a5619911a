"""Original demo experiences, in the import format (docs/import.md).

Invented for this project: the municipalities are real, the stories are not.
"""

P = "paragraph"


def _p(text):
    return {"type": P, "text": text}


EXPERIENCES = [
    {
        "external_id": "demo-exp-01",
        "title": "Videosamtaler gav sygemeldte borgere mere ro",
        "lead": "Sygedagpengeteamet i Aarhus tilbød borgerne at holde opfølgningssamtaler på "
        "video. Efter et halvt år vælger hver tredje borger videoformen, og færre samtaler "
        "bliver aflyst.",
        "published": "2026-10-02",
        "kind": "article",
        "municipalities": ["0751"],
        "topics": ["sygedagpenge", "digitalisering"],
        "profiles": ["helhedsprofil"],
        "author": "Rasmus Riis",
        "organisations": ["Jobcenter Aarhus, Sygedagpengeteamet"],
        "contact": "deltager@netvaerk.example",
        "body": [
            _p(
                "Mange sygemeldte borgere har lange transporttider eller smerter, der gør det "
                "svært at møde op på jobcentret. Derfor besluttede teamet at prøve videosamtaler "
                "som et tilbud – ikke et krav."
            ),
            {"type": "heading", "text": "Sådan gjorde vi"},
            _p(
                "Borgeren vælger selv ved indkaldelsen, om samtalen skal være fysisk, på telefon "
                "eller på video. Sagsbehandlerne fik en kort oplæring og en tjekliste til den "
                "første videosamtale."
            ),
            {
                "type": "quote",
                "text": "Borgerne fortæller, at de er mindre nervøse, når de "
                "sidder i deres eget køkken.",
                "name": "Rikke Holm",
                "role": "Socialrådgiver",
                "municipality": "Aarhus Kommune",
            },
            {
                "type": "key_figure",
                "figure": "34 %",
                "label": "af opfølgningssamtalerne holdes nu på video",
            },
            {
                "type": "facts",
                "title": "Kort om videosamtaler i Aarhus",
                "items": [
                    "Målgruppe: sygedagpengemodtagere i jobafklaring",
                    "Periode: januar–juni 2026",
                    "Færre aflyste samtaler: fra 11 % til 6 %",
                ],
            },
        ],
    },
    {
        "external_id": "demo-exp-02",
        "title": "Virksomhedsbesøg i små hold åbnede døre for ledige",
        "lead": "I Aabenraa tager virksomhedskonsulenterne ledige med ud på virksomhederne i "
        "hold af fire. Det har givet flere praktikker og ansættelser inden for transport.",
        "published": "2026-09-15",
        "kind": "case",
        "municipalities": ["0580"],
        "topics": ["virksomhedsservice", "forsikrede-ledige"],
        "profiles": ["virksomhedsprofil"],
        "author": "Lise Lund",
        "organisations": ["Jobcenter Aabenraa, Virksomhedsservice"],
        "contact": "lise.lund@netvaerk.example",
        "body": [
            _p(
                "Virksomhederne efterspurgte folk, men ville helst møde dem, før de sagde ja til "
                "en praktik. Små hold gjorde det overskueligt for begge parter."
            ),
            {
                "type": "quote",
                "text": "Vi ser mennesket, før vi ser CV'et.",
                "name": "Lise Lund",
                "role": "Virksomhedskonsulent",
                "municipality": "Aabenraa Kommune",
            },
            {
                "type": "facts",
                "title": "Kort om holdbesøgene",
                "items": [
                    "Fire ledige pr. besøg",
                    "Besøg hver anden uge",
                    "12 praktikker og 5 ansættelser på et halvt år",
                ],
            },
        ],
    },
    {
        "external_id": "demo-exp-03",
        "title": "Unge mødes med deres rådgiver på gåture",
        "lead": "Ungeindsatsen i Holbæk har flyttet en del af samtalerne ud af kontoret. "
        "Gåturene gør det lettere for unge at tale om det, der er svært.",
        "published": "2026-08-28",
        "kind": "article",
        "municipalities": ["0316"],
        "topics": ["unge"],
        "profiles": ["helhedsprofil", "basiskompetencer"],
        "author": "Sofie Sand",
        "organisations": ["Jobcenter Holbæk, Ungeindsatsen"],
        "body": [
            _p(
                "Idéen kom fra de unge selv: Et møde ved et skrivebord minder for mange om "
                "skolen, som de har dårlige oplevelser med."
            ),
            {"type": "heading", "text": "Hvad vi lærte"},
            _p(
                "Gåturen virker bedst til de første samtaler. Når der skal laves planer og "
                "aftaler, går man tilbage til kontoret."
            ),
        ],
    },
    {
        "external_id": "demo-exp-04",
        "title": "Portræt: Mentoren der taler ti sprog – næsten",
        "lead": "Amina Hassan har arbejdet som mentor for flygtninge og indvandrere i København "
        "i otte år. Hun fortæller om tillid, tolke og tålmodighed.",
        "published": "2026-07-01",
        "kind": "portrait",
        "municipalities": ["0101"],
        "topics": ["integration", "kontanthjaelp"],
        "profiles": ["helhedsprofil"],
        "author": "Rasmus Riis",
        "organisations": ["Jobcenter København, Integration"],
        "contact": "amina.hassan@netvaerk.example",
        "body": [
            _p(
                "Amina møder sine borgere, hvor de er – bogstaveligt talt. Mange møder foregår "
                "på biblioteket eller i boligområdets beboerhus."
            ),
            {
                "type": "quote",
                "text": "Tillid kommer ikke af at have ret. Den kommer af at "
                "holde, hvad man lover.",
                "name": "Amina Hassan",
                "role": "Mentor",
                "municipality": "Københavns Kommune",
            },
        ],
    },
    {
        "external_id": "demo-exp-05",
        "title": "Guide: Sådan kommer I i gang med fælles faglig sparring",
        "lead": "En trin-for-trin-guide til teams, der vil bruge 30 minutter om ugen på at "
        "blive klogere sammen. Guiden bygger på erfaringer fra Viborg.",
        "published": "2026-06-12",
        "kind": "guide",
        "municipalities": ["0791"],
        "topics": ["faglighed"],
        "profiles": ["udviklingsprofil"],
        "author": "Peter Vestergaard",
        "organisations": ["Jobcenter Viborg"],
        "contact": "peter.vest@netvaerk.example",
        "body": [
            {"type": "heading", "text": "1. Vælg en fast tid"},
            _p("Samme dag og tid hver uge. Aflys aldrig – så hellere kortere."),
            {"type": "heading", "text": "2. Tag en konkret sag med"},
            _p(
                "Den, der har sagen, fremlægger i fem minutter. De andre spørger – de giver "
                "ikke råd før til sidst."
            ),
            {
                "type": "facts",
                "title": "Det skal I bruge",
                "items": [
                    "Et mødelokale eller et videolink",
                    "En tovholder, der tager tid",
                    "En fælles skabelon til referat",
                ],
            },
        ],
    },
    {
        "external_id": "demo-exp-06",
        "title": "Fleksjob i små virksomheder: Et fælles projekt i Midtjylland",
        "lead": "Viborg og Skive har sammen fundet 40 nye fleksjob i virksomheder med under ti "
        "ansatte. Nøglen var én fast kontaktperson pr. virksomhed.",
        "published": "2026-05-20",
        "kind": "article",
        "municipalities": ["0791", "0779"],
        "topics": ["ressourceforloeb", "virksomhedsservice"],
        "profiles": ["virksomhedsprofil", "kompetencematchprofil"],
        "author": "Rasmus Riis",
        "organisations": ["KL"],
        "body": [
            _p(
                "Små virksomheder har sjældent en HR-afdeling. De har brug for én person, de "
                "kan ringe til, når noget skal afklares."
            ),
            {"type": "key_figure", "figure": "40", "label": "nye fleksjob på et år"},
        ],
    },
    {
        "external_id": "demo-exp-07",
        "title": "Digital selvbooking af samtaler halverede telefonkøen",
        "lead": "I Odense kan borgere på kontanthjælp selv booke og flytte deres samtaler "
        "digitalt. Telefonkøen om morgenen er halveret.",
        "published": "2026-04-09",
        "kind": "article",
        "municipalities": ["0461"],
        "topics": ["digitalisering", "kontanthjaelp"],
        "profiles": ["basiskompetencer"],
        "author": "Helle Krogh",
        "organisations": ["HK Kommunal"],
        "body": [
            _p(
                "Før ringede mange borgere ind for at flytte en samtale. Nu gør de det selv på "
                "deres telefon, og medarbejderne bruger tiden på samtalerne i stedet."
            ),
            {
                "type": "facts",
                "title": "Kort om selvbooking",
                "items": [
                    "Gælder samtaler i kontanthjælpsindsatsen",
                    "Borgeren kan flytte op til to gange",
                    "Sms-påmindelse dagen før",
                ],
            },
        ],
    },
    {
        "external_id": "demo-exp-08",
        "title": "Rådighedsvurderinger: Fælles praksis på tværs af teams",
        "lead": "Esbjerg har lavet en fælles drejebog for rådighedsvurderinger, så borgerne "
        "møder den samme praksis, uanset hvilket team de hører til.",
        "published": "2026-03-18",
        "kind": "guide",
        "municipalities": ["0561"],
        "topics": ["ydelser", "forsikrede-ledige"],
        "profiles": ["basiskompetencer"],
        "author": "Rasmus Riis",
        "organisations": ["HK Kommunal"],
        "body": [
            _p(
                "Drejebogen beskriver, hvilke spørgsmål der stilles, hvordan svarene "
                "dokumenteres, og hvornår en sag skal drøftes med en kollega."
            ),
        ],
    },
    {
        "external_id": "demo-exp-09",
        "title": "Case: Jonas på 19 og vejen tilbage til uddannelse",
        "lead": "En fiktiv case til drøftelse i teams: Jonas har droppet ud af to "
        "uddannelser. Hvad gør I?",
        "published": "2026-02-25",
        "kind": "case",
        "municipalities": ["0420"],
        "topics": ["unge", "kontanthjaelp"],
        "profiles": ["helhedsprofil", "udviklingsprofil"],
        "author": "Thomas Bøgh",
        "organisations": ["Dansk Socialrådgiverforening"],
        "body": [
            _p(
                "Casen er opdigtet, men bygger på typiske forløb. Brug den til at drøfte, "
                "hvordan I koordinerer mellem uddannelsesvejledning og jobcenter."
            ),
            {
                "type": "facts",
                "title": "Spørgsmål til drøftelse",
                "items": [
                    "Hvem har ansvaret for Jonas' plan?",
                    "Hvad vil Jonas selv?",
                    "Hvilke tilbud findes lokalt?",
                ],
            },
        ],
    },
    {
        "external_id": "demo-exp-10",
        "title": "Sprogpraktik med fast mentor gav flere i job",
        "lead": "Aalborg kombinerer sprogundervisning og praktik med en fast mentor på "
        "arbejdspladsen. Efter et år er over halvdelen i ordinært job.",
        "published": "2026-01-30",
        "kind": "article",
        "municipalities": ["0851"],
        "topics": ["integration", "virksomhedsservice"],
        "profiles": ["kompetencematchprofil"],
        "author": "Rasmus Riis",
        "organisations": ["Fremfærd"],
        "body": [
            _p(
                "Mentoren er en kollega på arbejdspladsen, som har fået et kort kursus og en "
                "time om ugen til opgaven."
            ),
            {"type": "key_figure", "figure": "56 %", "label": "i ordinært job efter 12 måneder"},
        ],
    },
    {
        "external_id": "demo-exp-11",
        "title": "Tidlig kontakt til sygemeldte halverede varigheden",
        "lead": "Randers ringer til sygemeldte inden for den første uge. Sygeforløbene er "
        "blevet kortere, og flere vender tilbage på nedsat tid.",
        "published": "2025-11-12",
        "kind": "article",
        "municipalities": ["0730"],
        "topics": ["sygedagpenge"],
        "profiles": ["helhedsprofil"],
        "author": "Rasmus Riis",
        "organisations": ["KL"],
        "body": [
            _p(
                "Samtalen handler om, hvad borgeren kan – ikke om, hvad borgeren ikke kan. "
                "Mange har ønsket en delvis raskmelding, men vidste ikke, at det var muligt."
            ),
            {
                "type": "quote",
                "text": "Det første opkald sætter tonen for hele forløbet.",
                "name": "Thomas Bøgh",
                "role": "Koordinator for jobafklaring",
            },
        ],
    },
    {
        "external_id": "demo-exp-12",
        "title": "Ressourceforløb med fokus på små skridt",
        "lead": "Kolding har omlagt ressourceforløbene, så borgeren sætter sine egne mål for "
        "hver måned. Det har givet mere ejerskab og færre afbrudte forløb.",
        "published": "2025-10-03",
        "kind": "article",
        "municipalities": ["0621"],
        "topics": ["ressourceforloeb"],
        "profiles": ["helhedsprofil", "udviklingsprofil"],
        "author": "Rasmus Riis",
        "organisations": ["Dansk Socialrådgiverforening"],
        "body": [
            _p(
                "Målene er små og konkrete: at tage bussen alene, at møde op tre dage i træk, at "
                "ringe til en virksomhed."
            ),
        ],
    },
    {
        "external_id": "demo-exp-13",
        "title": "Rekrutteringsdag for byggeriet samlede fem kommuner",
        "lead": "Sønderborg, Aabenraa, Tønder, Haderslev og Vejen holdt en fælles "
        "rekrutteringsdag for bygge- og anlægsbranchen. 22 ledige fik job.",
        "published": "2025-09-09",
        "kind": "article",
        "municipalities": ["0540", "0580", "0550", "0510", "0575"],
        "topics": ["virksomhedsservice", "forsikrede-ledige"],
        "profiles": ["virksomhedsprofil"],
        "author": "Lise Lund",
        "organisations": ["Jobcenter Aabenraa, Virksomhedsservice"],
        "body": [
            _p(
                "Virksomhederne sparede tid ved at møde mange kandidater på én dag, og de "
                "ledige fik mulighed for at tale direkte med arbejdsgiverne."
            ),
            {"type": "key_figure", "figure": "22", "label": "ansættelser efter én dag"},
        ],
    },
    {
        "external_id": "demo-exp-14",
        "title": "Chatfunktion til unge: Hurtige svar uden for kontortid",
        "lead": "Herning har testet en chat, hvor unge kan stille spørgsmål til deres "
        "ydelse og aftaler. Spørgsmålene besvares inden for to timer.",
        "published": "2025-06-16",
        "kind": "case",
        "municipalities": ["0657"],
        "topics": ["unge", "digitalisering", "ydelser"],
        "profiles": ["basiskompetencer"],
        "author": "Jonas Brandt",
        "organisations": ["KL"],
        "body": [
            _p(
                "De fleste spørgsmål handler om udbetalinger og mødetider. Svarene er korte, og "
                "de unge behøver ikke ringe."
            ),
        ],
    },
    {
        "external_id": "demo-exp-15",
        "title": "Fælles onboarding af nye medarbejdere i jobcentret",
        "lead": "Roskilde og Køge har lavet et fælles introforløb for nye medarbejdere. De nye "
        "lærer lovgivningen sammen og får en makker i den anden kommune.",
        "published": "2025-03-04",
        "kind": "article",
        "municipalities": ["0265", "0259"],
        "topics": ["faglighed"],
        "profiles": ["basiskompetencer", "udviklingsprofil"],
        "author": "Rasmus Riis",
        "organisations": ["HK Kommunal", "Dansk Socialrådgiverforening"],
        "body": [
            _p(
                "Introforløbet varer seks uger og blander undervisning, følgeskab og "
                "refleksion i makkerpar på tværs af kommunerne."
            ),
            {
                "type": "facts",
                "title": "Kort om introforløbet",
                "items": [
                    "Seks uger, en dag om ugen",
                    "Makker i den anden kommune",
                    "Afslutning med fælles temadag",
                ],
            },
        ],
    },
    {
        "external_id": "demo-exp-16",
        "title": "Jobcentret flyttede ud på biblioteket",
        "lead": "I Svendborg holder jobcentret åben rådgivning på hovedbiblioteket to dage om "
        "ugen. Det har givet kontakt til ledige, som ellers ikke kom.",
        "published": "2024-11-20",
        "kind": "article",
        "municipalities": ["0479"],
        "topics": ["forsikrede-ledige", "kontanthjaelp"],
        "profiles": ["helhedsprofil"],
        "author": "Rasmus Riis",
        "organisations": ["Fremfærd"],
        "body": [
            _p(
                "Rådgivningen er uden tidsbestilling. Mange kommer med spørgsmål om CV og "
                "ansøgninger, og nogle får hjælp til at komme videre i deres forløb."
            ),
        ],
    },
]
