"""Content of the demo installation: regions, places, content pages (all German).

The towns, their coordinates, postcodes and districts are real. Every place, person,
street address, phone number, e-mail address and website is invented; e-mail and web
addresses use the reserved ``.example`` domain and phone numbers have a subscriber
number starting with ``0``, which does not exist in the German numbering plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ALTMARKKREIS = "Altmarkkreis Salzwedel"
LK_STENDAL = "Landkreis Stendal"
BURGENLANDKREIS = "Burgenlandkreis"

IMAGE_CREDIT = "Illustration: Kreativorte im Grünen (Demo)"
IMAGE_LICENCE = "CC0"


@dataclass(frozen=True)
class Town:
    name: str
    postcode: str
    district: str
    lat: float  # town centre, WGS 84
    lon: float
    area_code: str
    about: str  # "Der Ort" section, rich text HTML
    getting_there: str


@dataclass(frozen=True)
class Story:
    building: str  # "Das Objekt"
    location: str  # "Die Lage"
    people: str  # "Die Menschen"
    life: str  # "Leben und Arbeiten vor Ort"
    quote: str
    quote_by: str
    facts: tuple[tuple[str, str], ...]
    image_caption: str


@dataclass(frozen=True)
class Place:
    slug: str
    title: str
    short_name: str  # used in image titles and captions
    town: str  # key of TOWNS
    offset: tuple[float, float]  # (dlat, dlon) from the town centre
    teaser: str
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    offers: tuple[str, ...]
    former_use: str
    building: str  # key of core.demo.images.BUILDINGS
    actor_type: str
    founded: int
    street: str
    contact_person: str
    opening_hours: str
    checked_days_ago: int
    story: Story
    status: str = "aktiv"
    seeking_members_text: str = ""
    links: tuple[tuple[str, str], ...] = ()
    getting_there_extra: str = ""
    water: bool = False
    hills: bool = False
    gallery: int = 1  # number of gallery images (1 or 2)


@dataclass(frozen=True)
class Region:
    slug: str
    title: str
    intro: str
    contact_person: str
    contact_email: str
    hero_building: str
    hills: bool
    body: tuple = field(default_factory=tuple)  # blocks, see core.demo.streams


# --- Towns -----------------------------------------------------------------------------------

TOWNS: dict[str, Town] = {
    "salzwedel": Town(
        "Salzwedel", "29410", ALTMARKKREIS, 52.8500, 11.1500, "03901",
        "<p>Die Hansestadt Salzwedel im Nordwesten der Altmark ist Kreisstadt des Altmarkkreises "
        "Salzwedel. Backsteingotik, Fachwerkgassen und die Jeetze prägen die Altstadt; weit über "
        "die Region hinaus ist Salzwedel für seinen Baumkuchen bekannt. Schulen, Ärztinnen und "
        "Ärzte, Geschäfte und ein Bahnhof mit Regionalverkehr sind in wenigen Minuten erreichbar."
        "</p>",
        "Mit dem Regionalexpress aus Stendal oder Uelzen bis Salzwedel, vom Bahnhof rund "
        "15 Minuten zu Fuß.",
    ),
    "stendal": Town(
        "Stendal", "39576", LK_STENDAL, 52.6050, 11.8590, "03931",
        "<p>Stendal ist die größte Stadt der Altmark und Kreisstadt des gleichnamigen Landkreises. "
        "Das Uenglinger Tor und der Dom St. Nikolaus erzählen von der Hansezeit; heute prägen ein "
        "Hochschulstandort und der Bahnknoten die Stadt. Mit dem ICE ist man in rund einer Stunde "
        "in Berlin.</p>",
        "Mit ICE, IC oder Regionalexpress bis Stendal Hbf, von dort rund 10 Minuten zu Fuß in "
        "die Altstadt.",
    ),
    "gardelegen": Town(
        "Gardelegen", "39638", ALTMARKKREIS, 52.5260, 11.3930, "03907",
        "<p>Die Hansestadt Gardelegen im Süden der Altmark gehört zu den flächengrößten Städten "
        "Deutschlands: Zur Kernstadt mit dem Salzwedeler Tor kommen fast 50 Ortsteile. Südlich "
        "beginnen die Wälder der Colbitz-Letzlinger Heide, nach Wolfsburg und Magdeburg ist es "
        "nicht weit.</p>",
        "Mit der Regionalbahn zwischen Stendal und Wolfsburg bis Gardelegen, weiter mit dem Bus "
        "oder dem Rad (rund 20 Minuten).",
    ),
    "tangermuende": Town(
        "Tangermünde", "39590", LK_STENDAL, 52.5408, 11.9689, "039322",
        "<p>Tangermünde liegt hoch über der Elbe an der Mündung des Tangers. Die fast vollständig "
        "erhaltene Stadtmauer, Fachwerkhäuser und das Rathaus aus Backstein machen die Altstadt "
        "zu einem der schönsten Orte der Altmark; wer auf dem Elberadweg unterwegs ist, legt hier "
        "gern eine Pause ein.</p>",
        "Mit der Regionalbahn von Stendal nach Tangermünde (rund 15 Minuten), vom Bahnhof rund "
        "10 Minuten zu Fuß. Direkt am Elberadweg.",
    ),
    "havelberg": Town(
        "Havelberg", "39539", LK_STENDAL, 52.8250, 12.0744, "039387",
        "<p>Die Hansestadt Havelberg liegt im Nordosten der Altmark an der Havel, kurz vor ihrer "
        "Mündung in die Elbe. Die Altstadt liegt auf einer Insel, darüber thront der romanische "
        "Dom St. Marien. Wassersport, Radwege und weite Flussauen machen Havelberg zu einem "
        "beliebten Ziel für Ausflüge und längere Aufenthalte.</p>",
        "Mit der Bahn bis Glöwen oder Stendal, weiter mit dem Bus nach Havelberg. Mit dem Rad "
        "über den Elberadweg oder den Havelradweg.",
    ),
    "osterburg": Town(
        "Osterburg (Altmark)", "39606", LK_STENDAL, 52.7899, 11.7526, "03937",
        "<p>Die Hansestadt Osterburg liegt rund 20 Kilometer nördlich von Stendal, dort wo die "
        "Uchte in die Biese mündet. Die Kleinstadt ist ein Zentrum des altmärkischen "
        "Spargelanbaus; mit der S-Bahn ist man direkt in Stendal und Magdeburg.</p>",
        "Mit der S-Bahn aus Magdeburg oder Stendal bis Osterburg, vom Bahnhof rund 10 Minuten "
        "zu Fuß.",
    ),
    "arendsee": Town(
        "Arendsee (Altmark)", "39619", ALTMARKKREIS, 52.8767, 11.4867, "039384",
        "<p>Der Luftkurort Arendsee liegt am Südufer des gleichnamigen Sees, des größten und "
        "tiefsten natürlichen Sees in Sachsen-Anhalt. Badestellen, ein Rundweg um den See und die "
        "Ruine des Benediktinerinnenklosters aus dem 12. Jahrhundert ziehen im Sommer viele Gäste "
        "an; im Winter wird es still.</p>",
        "Mit dem Regionalexpress bis Salzwedel, weiter mit dem Bus nach Arendsee (rund "
        "35 Minuten).",
    ),
    "kloetze": Town(
        "Klötze", "38486", ALTMARKKREIS, 52.6280, 11.1620, "03909",
        "<p>Klötze liegt im Westen der Altmark, rund 30 Kilometer südlich von Salzwedel, am Rand "
        "des Drömlings, einer der größten Niedermoorlandschaften Norddeutschlands. Die Kleinstadt "
        "ist staatlich anerkannter Erholungsort und versorgt die umliegenden Dörfer mit Schulen, "
        "Praxen und Geschäften.</p>",
        "Mit der Bahn bis Wolfsburg oder Gardelegen, weiter mit dem Bus nach Klötze.",
    ),
    "kalbe": Town(
        "Kalbe (Milde)", "39624", ALTMARKKREIS, 52.6333, 11.4000, "039080",
        "<p>Kalbe liegt mitten in der Altmark an der Milde, etwa 15 Kilometer nördlich von "
        "Gardelegen. In den letzten Jahren hat sich die Kleinstadt einen Namen als Ort für "
        "Kunstschaffende gemacht: Im Sommer wird die ganze Stadt zur Bühne für Ausstellungen, "
        "Lesungen und Konzerte.</p>",
        "Mit der Regionalbahn bis Gardelegen, weiter mit dem Bus nach Kalbe (Milde) (rund "
        "30 Minuten).",
    ),
    "seehausen": Town(
        "Seehausen (Altmark)", "39615", LK_STENDAL, 52.8903, 11.7531, "039386",
        "<p>Die Hansestadt Seehausen liegt im Norden der Altmark zwischen der Altmärkischen Höhe "
        "und der Wische, einer flachen, fruchtbaren Niederung an der Elbe. Niederländische "
        "Siedler legten hier im 12. Jahrhundert Deiche und Gräben an. Bis Wittenberge mit "
        "Fernverkehrshalt sind es nur rund 15 Kilometer.</p>",
        "Mit der S-Bahn aus Stendal oder Wittenberge bis Seehausen (Altmark), vom Bahnhof rund "
        "10 Minuten zu Fuß.",
    ),
    "bismark": Town(
        "Bismark (Altmark)", "39629", LK_STENDAL, 52.6667, 11.5500, "039089",
        "<p>Bismark liegt im Herzen der Altmark, rund 22 Kilometer westlich von Stendal. Zur "
        "Stadt gehören zwanzig Ortschaften mit Feldsteinkirchen, Alleen und alten Gutsanlagen; "
        "der Name geht vermutlich auf das Flüsschen Biese zurück.</p>",
        "Mit der Bahn bis Stendal, weiter mit dem Bus nach Bismark (rund 35 Minuten).",
    ),
    "beetzendorf": Town(
        "Beetzendorf", "38489", ALTMARKKREIS, 52.7000, 11.0917, "039000",
        "<p>Beetzendorf liegt in der Jeetzeniederung, rund 18 Kilometer südlich von Salzwedel, "
        "und ist Sitz der Verbandsgemeinde Beetzendorf-Diesdorf. Wiesen, Wälder und kleine "
        "Dörfer prägen die Umgebung; nach Klötze sind es mit dem Auto eine Viertelstunde, nach "
        "Salzwedel eine knappe halbe Stunde.</p>",
        "Mit dem Regionalexpress bis Salzwedel, weiter mit dem Bus Richtung Klötze bis "
        "Beetzendorf.",
    ),
    "diesdorf": Town(
        "Diesdorf", "29413", ALTMARKKREIS, 52.7516, 10.8753, "03902",
        "<p>Der Flecken Diesdorf liegt ganz im Westen der Altmark, nur wenige Kilometer von der "
        "Grenze zu Niedersachsen entfernt. Die romanische Klosterkirche und das 1911 gegründete "
        "Freilichtmuseum, eines der ältesten in Deutschland, erzählen vom Leben auf dem Land; "
        "ringsum wechseln sich Wälder, Heide und Felder ab.</p>",
        "Mit dem Regionalexpress bis Salzwedel, weiter mit dem Bus nach Diesdorf.",
    ),
    "arneburg": Town(
        "Arneburg", "39596", LK_STENDAL, 52.6667, 12.0000, "039321",
        "<p>Die kleine Stadt Arneburg liegt auf einer Anhöhe am Westufer der Elbe, etwa zehn "
        "Kilometer nordöstlich von Stendal. Vom Burgberg blickt man weit über die Elbauen, und "
        "über den Elberadweg kommen im Sommer viele Radreisende durch den Ort.</p>",
        "Mit der Bahn bis Stendal, weiter mit dem Bus nach Arneburg (rund 25 Minuten). Direkt am "
        "Elberadweg.",
    ),
    "tangerhuette": Town(
        "Tangerhütte", "39517", LK_STENDAL, 52.4333, 11.8000, "03935",
        "<p>Tangerhütte liegt im Süden der Altmark am Flüsschen Tanger. Die Stadt verdankt ihren "
        "Namen dem Eisenwerk, das hier ab 1842 entstand; der Stadtpark mit dem Neuen Schloss "
        "erinnert an die Zeit der Fabrikanten. Mit der Regionalbahn ist man in rund einer halben "
        "Stunde in Magdeburg.</p>",
        "Mit der Regionalbahn zwischen Magdeburg und Stendal bis Tangerhütte, vom Bahnhof rund "
        "10 Minuten zu Fuß.",
    ),
    "kuhfelde": Town(
        "Kuhfelde", "29416", ALTMARKKREIS, 52.7833, 11.1167, "039035",
        "<p>Kuhfelde liegt an der Bundesstraße 248, rund acht Kilometer südlich von Salzwedel. "
        "Zur Gemeinde gehören mehrere Dörfer mit Feldsteinkirchen; bei Leetze zeugen "
        "Großsteingräber davon, dass die Gegend schon in der Jungsteinzeit besiedelt war.</p>",
        "Mit dem Regionalexpress bis Salzwedel, weiter mit dem Bus Richtung Beetzendorf bis "
        "Kuhfelde (rund 15 Minuten).",
    ),
    "naumburg": Town(
        "Naumburg (Saale)", "06618", BURGENLANDKREIS, 51.1500, 11.8100, "03445",
        "<p>Naumburg an der Saale ist das Zentrum der Region Saale-Unstrut. Der Naumburger Dom mit "
        "seinen berühmten Stifterfiguren gehört seit 2018 zum UNESCO-Welterbe; Altstadt, Markt "
        "und eine historische Straßenbahn prägen das Stadtbild. Halle, Leipzig, Weimar und Erfurt "
        "sind mit dem Zug schnell erreichbar.</p>",
        "Mit dem Regionalexpress aus Halle, Leipzig oder Erfurt bis Naumburg (Saale) Hbf, weiter "
        "mit der Straßenbahn oder rund 20 Minuten zu Fuß in die Altstadt.",
    ),
    "freyburg": Town(
        "Freyburg (Unstrut)", "06632", BURGENLANDKREIS, 51.2128, 11.7697, "034464",
        "<p>Freyburg liegt an einer Biegung der Unstrut und gilt als Zentrum des Weinbaugebiets "
        "Saale-Unstrut. Über der Stadt thront Schloss Neuenburg, dessen Anfänge um 1090 liegen; "
        "an den steilen, geschützten Südhängen wachsen Reben auf Muschelkalk.</p>",
        "Mit der Unstrutbahn von Naumburg (Saale) Hbf bis Freyburg (Unstrut), vom Bahnhof rund "
        "10 Minuten zu Fuß.",
    ),
    "laucha": Town(
        "Laucha an der Unstrut", "06636", BURGENLANDKREIS, 51.2167, 11.6833, "034462",
        "<p>Laucha liegt flussaufwärts von Freyburg an der Unstrut, inmitten von Weinbergen und "
        "Streuobstwiesen. Stadtmauer, Obertor und ein Glockenmuseum erinnern an die lange "
        "Geschichte der kleinen Stadt; der Unstrut-Radweg führt mitten hindurch.</p>",
        "Mit der Unstrutbahn von Naumburg (Saale) Hbf bis Laucha.",
    ),
}  # fmt: skip


# --- Places ----------------------------------------------------------------------------------

ALTMARK_PLACES: tuple[Place, ...] = (
    Place(
        slug="gutshof-wiesengrund",
        gallery=2,
        title="Gutshof Wiesengrund",
        short_name="Gutshof Wiesengrund",
        town="bismark",
        offset=(0.0042, -0.0051),
        teaser=(
            "Ein Gutshaus aus dem 19. Jahrhundert wird zum genossenschaftlichen Wohnprojekt mit "
            "Hofcafé, Gästewohnung zum Probewohnen und großem Gemeinschaftsgarten."
        ),
        categories=("wohnen-bauen", "leben-tourismus"),
        tags=("Wohnprojekt", "Hofcafé", "Probewohnen"),
        offers=("wohnraum", "probewohnen", "cafe-gastronomie", "uebernachtung"),
        former_use="Gutshaus",
        building="manor",
        actor_type="genossenschaft",
        founded=2016,
        street="Gutshofweg 3",
        contact_person="Katrin Wendland",
        opening_hours="Apr-Oct Sa,Su,PH 13:00-18:00",
        checked_days_ago=45,
        seeking_members_text=(
            "Für die zweite Bauphase im Kavaliershaus suchen wir zwei bis drei Haushalte, gern "
            "Familien, die Lust auf gemeinschaftliches Wohnen auf dem Land haben."
        ),
        links=(("instagram", "https://instagram.example/gutshof.wiesengrund"),),
        story=Story(
            building=(
                "<p>Das zweigeschossige Gutshaus wurde um 1870 errichtet. Nach 1945 diente es als "
                "Gemeindebüro, Kindergarten und zuletzt als Lager, seit der Jahrtausendwende "
                "stand es leer. 2016 hat eine kleine Wohngenossenschaft das Haus gekauft und "
                "saniert es seitdem Schritt für Schritt: mit Lehmputz, Holzfaserdämmung und einer "
                "gemeinsamen Heizung für alle Wohnungen.</p>"
            ),
            location=(
                "<p>Der Hof liegt am Rand von Bismark, umgeben von Wiesen, einer Lindenallee und "
                "dem alten Gutspark. Bis zum Markt sind es zehn Minuten zu Fuß, nach Stendal "
                "eine gute halbe Stunde mit dem Auto.</p>"
            ),
            people=(
                "<p>Zwölf Erwachsene und sieben Kinder leben inzwischen auf dem Hof: eine "
                "Tischlerin, ein Softwareentwickler, eine Hebamme, zwei Lehrer im Ruhestand und "
                "eine Familie, die aus Hamburg zurück in die Altmark gezogen ist. Entscheidungen "
                "trifft die Genossenschaft einmal im Monat im Plenum.</p>"
            ),
            life=(
                "<p>Am Wochenende öffnet das Hofcafé mit Kuchen aus dem Holzbackofen, im Sommer "
                "gibt es Konzerte im Gutspark. Wer das Landleben ausprobieren möchte, kann die "
                "Gästewohnung für bis zu vier Wochen zum <b>Probewohnen</b> mieten. Mehrere "
                "Bewohner*innen arbeiten von zu Hause aus; das Glasfaserkabel liegt bis ins "
                "Haus.</p>"
            ),
            quote=(
                "Wir wollten nicht nur ein Haus retten, sondern einen Ort schaffen, an dem das "
                "Dorf wieder zusammenkommt."
            ),
            quote_by="Katrin Wendland, Vorstand der Genossenschaft",
            facts=(
                ("Baujahr", "um 1870"),
                ("Wohnfläche", "ca. 1.100 m² in neun Wohnungen"),
                ("Grundstück", "2,4 ha mit Gutspark"),
                ("Träger", "Wohngenossenschaft, seit 2016"),
            ),
            image_caption="Das Gutshaus von der Wiese aus gesehen",
        ),
    ),
    Place(
        slug="alter-bahnhof-kuhfelde",
        gallery=2,
        title="Alter Bahnhof Kuhfelde – Werkraum",
        short_name="Alter Bahnhof Kuhfelde",
        town="kuhfelde",
        offset=(-0.0031, 0.0038),
        teaser=(
            "Im ehemaligen Empfangsgebäude teilen sich Freelancer Schreibtische, nebenan surren "
            "Drechselbank und 3D-Drucker – und einmal im Monat wird gemeinsam repariert."
        ),
        categories=("arbeiten-wirtschaft", "leben-tourismus"),
        tags=("Coworking", "Makerspace", "Reparaturcafé"),
        offers=("coworking", "werkstatt", "veranstaltungsraum"),
        former_use="Bahnhof",
        building="station",
        actor_type="verein",
        founded=2019,
        street="Am Güterboden 2",
        contact_person="Jonas Krüger",
        opening_hours="Mo-Fr 08:00-18:00; Sa 10:00-14:00",
        checked_days_ago=21,
        seeking_members_text=(
            "Für die Holz- und Metallwerkstatt suchen wir Menschen, die ihr Können in Kursen "
            "weitergeben möchten."
        ),
        links=(
            ("mastodon", "https://social.example/@werkraum_kuhfelde"),
            ("instagram", "https://instagram.example/werkraum.kuhfelde"),
        ),
        story=Story(
            building=(
                "<p>Das Empfangsgebäude aus rotem Backstein mit Wartesaal, Dienstwohnung und "
                "Güterschuppen stammt aus der Zeit um 1900. Nach der Stilllegung der Strecke "
                "stand es lange leer. Der Verein hat es 2019 von der Gemeinde gepachtet; aus dem "
                "Wartesaal wurde ein heller Coworking-Raum, im Güterschuppen ist die Werkstatt.</p>"
            ),
            location=(
                "<p>Der alte Bahnhof liegt am Ortsrand, der frühere Bahndamm ist heute ein "
                "Rad- und Wanderweg. Bis Salzwedel sind es acht Kilometer: mit dem Rad eine gute "
                "halbe Stunde, mit dem Bus eine Viertelstunde.</p>"
            ),
            people=(
                "<p>Rund 40 Mitglieder zählt der Verein: Grafikerinnen, ein Übersetzer, zwei "
                "Programmierer, Landwirte, die ihre Maschinen selbst reparieren, und Jugendliche "
                "aus dem Dorf, die hier ihren ersten Schaltkreis gelötet haben.</p>"
            ),
            life=(
                "<p>Zwölf feste und flexible Arbeitsplätze, schnelles Internet, eine "
                "Gemeinschaftsküche und ein Besprechungsraum stehen zur Verfügung. Am ersten "
                "Samstag im Monat ist <b>Reparaturcafé</b>: Toaster, Fahrräder und "
                "Lieblingspullover bekommen ein zweites Leben.</p>"
            ),
            quote=(
                "Früher ist man hier in den Zug gestiegen, um wegzukommen. Heute kommen Leute "
                "her, um zu bleiben."
            ),
            quote_by="Jonas Krüger, Vorsitzender des Vereins",
            facts=(
                ("Baujahr", "um 1900"),
                ("Arbeitsplätze", "12 Schreibtische, 1 Besprechungsraum"),
                ("Werkstatt", "Holz, Metall, Elektronik, 3D-Druck"),
                ("Mitglieder", "rund 40"),
            ),
            image_caption="Der alte Bahnhof mit Wartesaal und Güterschuppen",
        ),
    ),
    Place(
        slug="kulturscheune-elbblick",
        gallery=2,
        title="Kulturscheune Elbblick",
        short_name="Kulturscheune Elbblick",
        town="arneburg",
        offset=(-0.0018, -0.0046),
        teaser=(
            "Konzerte, Theater und Sommerkino in einer Backsteinscheune über der Elbe – getragen "
            "von einem Verein, der das Dorfleben neu belebt."
        ),
        categories=("leben-tourismus",),
        tags=("Kulturhof", "Konzerte", "Sommerkino"),
        offers=("veranstaltungsraum", "cafe-gastronomie"),
        former_use="Scheune",
        building="barn",
        actor_type="verein",
        founded=2014,
        street="Scheunenweg 2",
        contact_person="Friederike Hahn",
        opening_hours="May-Sep Fr 17:00-22:00; May-Sep Sa,Su 14:00-22:00",
        checked_days_ago=430,
        water=True,
        links=(
            ("facebook", "https://facebook.example/kulturscheune.elbblick"),
            ("instagram", "https://instagram.example/kulturscheune_elbblick"),
        ),
        story=Story(
            building=(
                "<p>Die Scheune aus rotem Backstein gehörte zu einem Vierseithof, der im 19. "
                "Jahrhundert am Rand der Stadt entstand. Mit ihrem hohen Dachstuhl und dem "
                "großen Tor bietet sie Platz für bis zu 250 Menschen. Ein neues Dach, eine "
                "Bühne aus Eichenholz und eine kleine Küche hat der Verein weitgehend in "
                "Eigenleistung eingebaut.</p>"
            ),
            location=(
                "<p>Vom Hof aus geht der Blick weit über die Elbauen. Der Elberadweg führt direkt "
                "vorbei, zur Altstadt sind es fünf Minuten zu Fuß.</p>"
            ),
            people=(
                "<p>Den Verein haben 2014 zwei Lehrerinnen, ein Tontechniker und ein Landwirt "
                "gegründet. Heute kümmern sich rund 30 Ehrenamtliche um Programm, Tresen und "
                "Technik – viele von ihnen sind erst in den letzten Jahren in die Gegend "
                "gezogen.</p>"
            ),
            life=(
                "<p>Von Mai bis September gibt es jedes Wochenende Programm: Konzerte, "
                "Lesungen, Theater und Sommerkino unter freiem Himmel. Im Winter wird die Scheune "
                "für Hochzeiten, Seminare und Vereinsfeste vermietet.</p>"
            ),
            quote=(
                "Die Leute sagen, hier sei nichts los. Dann kommen sie einmal zu uns und bleiben "
                "bis Mitternacht."
            ),
            quote_by="Friederike Hahn, Programmleitung",
            facts=(
                ("Baujahr", "um 1880"),
                ("Plätze", "bis zu 250 stehend, 140 sitzend"),
                ("Saison", "Mai bis September"),
                ("Ehrenamtliche", "rund 30"),
            ),
            image_caption="Die Kulturscheune am Elbhang",
        ),
    ),
    Place(
        slug="werkhof-an-der-jeetze",
        title="Werkhof an der Jeetze",
        short_name="Werkhof an der Jeetze",
        town="salzwedel",
        offset=(0.0026, -0.0034),
        teaser=(
            "In der ehemaligen Molkerei arbeiten Tischlerei, Keramikwerkstatt und ein kleines "
            "Designbüro Tür an Tür – mit Ateliers zur Miete für Gründerinnen und Gründer."
        ),
        categories=("arbeiten-wirtschaft",),
        tags=("Makerspace", "Atelier", "Gründung"),
        offers=("werkstatt", "atelier", "coworking", "seminarraum"),
        former_use="Molkerei",
        building="factory",
        actor_type="unternehmen",
        founded=2018,
        street="Molkereiweg 5",
        contact_person="Tobias Brandt",
        opening_hours="Mo-Fr 09:00-18:00",
        checked_days_ago=30,
        links=(
            ("linkedin", "https://linkedin.example/company/werkhof-jeetze"),
            ("instagram", "https://instagram.example/werkhof.jeetze"),
        ),
        story=Story(
            building=(
                "<p>Die Molkerei wurde 1912 gebaut und bis 1991 betrieben. Die große Halle mit "
                "Sheddach, der Schornstein und die gekachelten Kühlräume sind erhalten. Seit "
                "2018 gehört das Gelände einer kleinen Firma aus Salzwedel, die die Räume an "
                "Handwerksbetriebe und Kreative vermietet.</p>"
            ),
            location=(
                "<p>Der Werkhof liegt am Rand der Altstadt direkt an der Jeetze. Zum Bahnhof sind "
                "es zehn Minuten zu Fuß, Parkplätze und eine Ladezone für Lieferwagen gibt es "
                "auf dem Hof.</p>"
            ),
            people=(
                "<p>Acht Betriebe mit zusammen 25 Beschäftigten arbeiten heute im Werkhof, "
                "darunter eine Tischlerei, eine Keramikerin, ein Fahrradbauer und ein Büro für "
                "Produktdesign. Drei Ateliers sind für Gründer*innen reserviert, die im ersten "
                "Jahr eine reduzierte Miete zahlen.</p>"
            ),
            life=(
                "<p>Die Betriebe teilen sich Maschinen, eine Kantine und einen Seminarraum. "
                "Zweimal im Jahr öffnet der Werkhof seine Türen zum <b>Tag der offenen "
                "Werkstatt</b> – mit Führungen, Kursen und Verkauf.</p>"
            ),
            quote=(
                "In der Stadt hätten wir uns so viel Fläche nie leisten können. Hier haben wir "
                "Platz zum Wachsen."
            ),
            quote_by="Tobias Brandt, Geschäftsführer",
            facts=(
                ("Baujahr", "1912"),
                ("Nutzfläche", "ca. 2.300 m²"),
                ("Betriebe", "8 mit 25 Beschäftigten"),
                ("Gründungsateliers", "3, im ersten Jahr zu reduzierter Miete"),
            ),
            image_caption="Die alte Molkerei mit Sheddach und Schornstein",
        ),
    ),
    Place(
        slug="digitalkontor-stendal",
        title="Digitalkontor Stendal",
        short_name="Digitalkontor Stendal",
        town="stendal",
        offset=(0.0012, 0.0021),
        teaser=(
            "Coworking im ehemaligen Kaufhaus mitten in der Altstadt: 30 Arbeitsplätze, "
            "Seminarräume und ein Programm für Gründerinnen und Gründer aus der Region."
        ),
        categories=("arbeiten-wirtschaft",),
        tags=("Coworking", "Gründung", "Weiterbildung"),
        offers=("coworking", "seminarraum", "veranstaltungsraum"),
        former_use="Kaufhaus",
        building="townhouse",
        actor_type="start-up",
        founded=2020,
        street="Kontorgasse 3",
        contact_person="Miriam Scholz",
        opening_hours="Mo-Fr 08:00-20:00; Sa 10:00-16:00",
        checked_days_ago=12,
        links=(
            ("linkedin", "https://linkedin.example/company/digitalkontor-stendal"),
            ("x", "https://x.example/digitalkontor"),
        ),
        story=Story(
            building=(
                "<p>Das Kaufhaus mit Treppengiebel und großen Schaufenstern wurde 1908 eröffnet "
                "und war bis in die 1990er-Jahre ein Treffpunkt der Innenstadt. Nach mehreren "
                "Jahren Leerstand wurden die drei Etagen 2020 umgebaut: unten ein Café und "
                "Veranstaltungsraum, darüber Arbeitsplätze und Seminarräume.</p>"
            ),
            location=(
                "<p>Das Digitalkontor liegt in der Fußgängerzone, wenige Schritte vom Markt. "
                "Vom Hauptbahnhof mit ICE-Halt sind es zehn Minuten zu Fuß – viele Mitglieder "
                "pendeln ein, zwei Tage pro Woche aus Berlin oder Magdeburg.</p>"
            ),
            people=(
                "<p>Gegründet haben das Kontor zwei Rückkehrerinnen, die vorher in Berlin in "
                "Start-ups gearbeitet haben. Heute arbeiten hier Entwicklerinnen, "
                "Steuerberater, Studierende der Hochschule und Teams von Firmen, die in der "
                "Altmark einen zweiten Standort suchen.</p>"
            ),
            life=(
                "<p>Tagespässe, Monatsplätze und feste Büros sind buchbar. Jeden Donnerstag gibt "
                "es ein gemeinsames Mittagessen, einmal im Monat einen <b>Gründungsabend</b> mit "
                "Beratung zu Förderprogrammen.</p>"
            ),
            quote=(
                "Wir wollten zeigen, dass man in Stendal genauso gut arbeiten kann wie in "
                "Berlin – nur mit kürzeren Wegen."
            ),
            quote_by="Miriam Scholz, Mitgründerin",
            facts=(
                ("Baujahr", "1908"),
                ("Arbeitsplätze", "30, davon 12 feste"),
                ("Seminarräume", "2 für je bis zu 20 Personen"),
                ("Bahnhof", "10 Minuten zu Fuß"),
            ),
            image_caption="Das ehemalige Kaufhaus mit Treppengiebel",
        ),
    ),
    Place(
        slug="alte-dorfschule-lindenhof",
        title="Alte Dorfschule Lindenhof",
        short_name="Alte Dorfschule Lindenhof",
        town="gardelegen",
        offset=(-0.0044, 0.0052),
        teaser=(
            "Eine Baugruppe verwandelt die leerstehende Dorfschule in fünf Wohnungen und einen "
            "gemeinsamen Arbeitsraum – Einzug ist für 2027 geplant."
        ),
        categories=("wohnen-bauen", "arbeiten-wirtschaft"),
        tags=("Wohnprojekt", "Baugruppe", "Coworking"),
        offers=("wohnraum", "coworking"),
        status="im-aufbau",
        former_use="Schule",
        building="school",
        actor_type="private-initiative",
        founded=2024,
        street="Schulstieg 1",
        contact_person="Lea Voigt",
        opening_hours="",
        checked_days_ago=90,
        seeking_members_text=(
            "Wir suchen noch zwei Haushalte für die Baugruppe und Handwerker*innen, die beim "
            "Ausbau mit anpacken möchten."
        ),
        links=(("instagram", "https://instagram.example/dorfschule.lindenhof"),),
        story=Story(
            building=(
                "<p>Die zweigeschossige Backsteinschule mit Glockentürmchen wurde 1896 gebaut. "
                "Bis 1994 lernten hier Kinder aus drei Dörfern, danach nutzte der Heimatverein "
                "einzelne Räume. 2024 hat eine Baugruppe aus fünf Haushalten das Gebäude von der "
                "Stadt erworben.</p>"
            ),
            location=(
                "<p>Die Schule steht mitten im Ortsteil an der Dorfstraße, gegenüber der "
                "Feldsteinkirche. Hinter dem Haus liegt der alte Schulgarten, der wieder zum "
                "Gemüsegarten werden soll.</p>"
            ),
            people=(
                "<p>Zur Baugruppe gehören zwei junge Familien aus Magdeburg, ein Paar aus "
                "Wolfsburg und eine Architektin, die das Projekt plant. Alle arbeiten zumindest "
                "teilweise von zu Hause aus.</p>"
            ),
            life=(
                "<p>Im ehemaligen Klassenzimmer im Erdgeschoss entsteht ein Arbeitsraum, den "
                "auch Menschen aus dem Dorf nutzen können. Bis zum Einzug trifft sich die Gruppe "
                "jeden zweiten Samstag zum <b>Bautag</b> – Gäste sind willkommen.</p>"
            ),
            quote=(
                "Wir haben lange gesucht. Hier passt alles: das Haus, das Dorf und die Menschen."
            ),
            quote_by="Lea Voigt, Baugruppe Lindenhof",
            facts=(
                ("Baujahr", "1896"),
                ("Geplante Wohnungen", "5, zwischen 60 und 120 m²"),
                ("Gemeinschaftsraum", "ehemaliges Klassenzimmer, ca. 55 m²"),
                ("Einzug", "geplant 2027"),
            ),
            image_caption="Die alte Dorfschule mit ihrem Glockentürmchen",
        ),
    ),
    Place(
        slug="speicherateliers-am-tanger",
        title="Speicherateliers am Tanger",
        short_name="Speicherateliers am Tanger",
        town="tangermuende",
        offset=(-0.0022, -0.0040),
        teaser=(
            "Zwölf Ateliers, eine Galerie und eine offene Druckwerkstatt auf fünf Etagen eines "
            "alten Getreidespeichers am Hafen."
        ),
        categories=("arbeiten-wirtschaft", "leben-tourismus"),
        tags=("Atelier", "Galerie", "Kunsthandwerk"),
        offers=("atelier", "veranstaltungsraum", "werkstatt"),
        former_use="Getreidespeicher",
        building="warehouse",
        actor_type="verein",
        founded=2015,
        street="Speicherkai 8",
        contact_person="Henrike Albers",
        opening_hours="We-Su 11:00-17:00",
        checked_days_ago=410,
        water=True,
        links=(
            ("instagram", "https://instagram.example/speicherateliers"),
            ("facebook", "https://facebook.example/speicherateliers.tanger"),
        ),
        story=Story(
            building=(
                "<p>Der fünfgeschossige Speicher aus Backstein wurde um 1890 für Getreide "
                "gebaut, das über die Elbe verschifft wurde. Die schweren Holzbalken und die "
                "Ladeluken sind erhalten. Seit 2015 vermietet ein Verein die Etagen als "
                "Ateliers; im Erdgeschoss ist eine Galerie.</p>"
            ),
            location=(
                "<p>Der Speicher steht am Hafen unterhalb der Altstadt, dort wo der Tanger in "
                "die Elbe mündet. Vom obersten Stockwerk sieht man über den Fluss bis weit in "
                "die Elbauen.</p>"
            ),
            people=(
                "<p>Zwölf Künstlerinnen und Künstler haben hier ihr Atelier – Malerei, "
                "Keramik, Siebdruck, Fotografie. Einige leben seit Jahrzehnten in der Altmark, "
                "andere sind aus Leipzig, Hamburg oder Kopenhagen hergezogen.</p>"
            ),
            life=(
                "<p>Die Galerie zeigt wechselnde Ausstellungen, in der offenen Druckwerkstatt "
                "gibt es Kurse für Kinder und Erwachsene. Jedes Jahr im Juni öffnen alle "
                "Ateliers zum <b>Speicherfest</b>.</p>"
            ),
            quote="Das Licht über der Elbe ist jeden Tag anders. Dafür bin ich hergekommen.",
            quote_by="Henrike Albers, Malerin",
            facts=(
                ("Baujahr", "um 1890"),
                ("Etagen", "5"),
                ("Ateliers", "12, zwischen 25 und 70 m²"),
                ("Galerie", "Mi bis So geöffnet"),
            ),
            image_caption="Der alte Getreidespeicher am Hafen",
        ),
    ),
    Place(
        slug="bootsschuppen-havelinsel",
        title="Bootsschuppen Havelinsel",
        short_name="Bootsschuppen Havelinsel",
        town="havelberg",
        offset=(0.0021, -0.0032),
        teaser=(
            "Eine Holzbootwerkstatt mit Gästezimmern unterm Dach: Hier werden alte Kähne "
            "restauriert und Gäste können beim Bootsbau über die Schulter schauen."
        ),
        categories=("arbeiten-wirtschaft", "leben-tourismus"),
        tags=("Bootsbau", "Werkstatt", "Ferienwohnung"),
        offers=("werkstatt", "uebernachtung"),
        former_use="Bootsschuppen",
        building="barn",
        actor_type="unternehmen",
        founded=2017,
        street="Am Werder 11",
        contact_person="Ole Petersen",
        opening_hours="Apr-Oct Tu-Sa 10:00-17:00",
        checked_days_ago=150,
        water=True,
        links=(("youtube", "https://video.example/@bootsschuppen-havelinsel"),),
        story=Story(
            building=(
                "<p>Der lange Schuppen mit Satteldach wurde in den 1930er-Jahren für die "
                "Fischerei gebaut und diente später einem Wassersportverein als Bootshaus. "
                "Nach dem Hochwasser 2013 stand er leer, 2017 hat ihn ein Bootsbauer aus "
                "Schleswig-Holstein gekauft und hochwassersicher umgebaut.</p>"
            ),
            location=(
                "<p>Der Schuppen liegt am Ufer der Havel, wenige Minuten von der Altstadtinsel "
                "entfernt. Vom Steg aus kann man direkt mit dem Kanu oder Ruderboot "
                "losfahren.</p>"
            ),
            people=(
                "<p>Ole Petersen arbeitet mit zwei Gesellen und einem Auszubildenden. Im "
                "Winter restaurieren sie Holzboote aus ganz Norddeutschland, im Sommer bauen "
                "sie mit Gästen in Wochenkursen eigene Kanus.</p>"
            ),
            life=(
                "<p>Unter dem Dach gibt es drei einfache Gästezimmer mit Blick aufs Wasser. Wer "
                "mag, hilft in der Werkstatt mit, abends wird am Steg gegrillt.</p>"
            ),
            quote=(
                "Ein Holzboot braucht Zeit. Genau die hat man hier – und das Wasser direkt vor "
                "der Tür."
            ),
            quote_by="Ole Petersen, Bootsbauer",
            facts=(
                ("Baujahr", "1930er-Jahre"),
                ("Werkstatt", "ca. 400 m² mit Slipanlage"),
                ("Gästezimmer", "3"),
                ("Kurse", "Kanubau, Mai bis September"),
            ),
            image_caption="Der Bootsschuppen am Havelufer",
        ),
    ),
    Place(
        slug="biesehalle-osterburg",
        title="Biesehalle Osterburg",
        short_name="Biesehalle Osterburg",
        town="osterburg",
        offset=(-0.0028, 0.0036),
        teaser=(
            "Aus der leerstehenden Kaufhalle wurde ein genossenschaftlicher Dorfladen mit "
            "regionalen Produkten, Café und Reparaturcafé."
        ),
        categories=("leben-tourismus", "arbeiten-wirtschaft"),
        tags=("Dorfladen", "Reparaturcafé", "Regionale Produkte"),
        offers=("hofladen", "cafe-gastronomie", "werkstatt", "veranstaltungsraum"),
        former_use="Kaufhalle",
        building="hall",
        actor_type="genossenschaft",
        founded=2021,
        street="Uchteweg 14",
        contact_person="Uwe Matthies",
        opening_hours="Mo-Fr 08:00-18:00; Sa 08:00-12:00",
        checked_days_ago=60,
        seeking_members_text=(
            "Für das Reparaturcafé suchen wir Menschen, die sich mit Fahrrädern, Elektrogeräten "
            "oder Nähmaschinen auskennen."
        ),
        links=(("facebook", "https://facebook.example/biesehalle"),),
        story=Story(
            building=(
                "<p>Die Kaufhalle wurde 1978 als typischer Flachbau mit großer Fensterfront "
                "gebaut. Nach der Schließung des Supermarkts 2015 stand sie sechs Jahre leer. "
                "2021 gründeten 180 Menschen aus Osterburg und den Ortsteilen eine "
                "Genossenschaft und kauften das Gebäude.</p>"
            ),
            location=(
                "<p>Die Halle liegt in einem Wohngebiet am Stadtrand, nicht weit vom Ufer der "
                "Biese. Für viele ältere Menschen im Viertel ist sie wieder zu Fuß erreichbar; "
                "vor der Tür hält der Stadtbus.</p>"
            ),
            people=(
                "<p>Vier Teilzeitkräfte und rund 25 Ehrenamtliche halten den Laden am Laufen. "
                "Das Sortiment kommt zu einem großen Teil von Höfen aus einem Umkreis von "
                "30 Kilometern: Spargel, Kartoffeln, Käse, Honig, Fleisch und Brot.</p>"
            ),
            life=(
                "<p>Im Café trifft sich morgens die Nachbarschaft, nachmittags machen "
                "Schulkinder Hausaufgaben. Jeden zweiten Mittwoch ist <b>Reparaturcafé</b>, "
                "einmal im Monat gibt es einen Filmabend.</p>"
            ),
            quote=(
                "Als der Supermarkt zumachte, dachten alle: Das war's. Jetzt haben wir etwas "
                "Besseres als vorher."
            ),
            quote_by="Uwe Matthies, Vorstand der Genossenschaft",
            facts=(
                ("Baujahr", "1978"),
                ("Verkaufsfläche", "ca. 350 m²"),
                ("Genossenschaftsmitglieder", "rund 240"),
                ("Lieferbetriebe", "über 30 aus der Region"),
            ),
            image_caption="Die ehemalige Kaufhalle mit ihrer langen Fensterfront",
        ),
    ),
    Place(
        slug="haus-uferlicht-arendsee",
        gallery=2,
        title="Haus Uferlicht – Arbeiten am See",
        short_name="Haus Uferlicht",
        town="arendsee",
        offset=(-0.0024, -0.0041),
        teaser=(
            "Ein ehemaliges Ferienheim am Arendsee bietet Workation mit Seeblick: "
            "Arbeitsplätze, Apartments, Seminarräume und ein Steg zum Baden."
        ),
        categories=("arbeiten-wirtschaft", "leben-tourismus"),
        tags=("Coworking", "Workation", "Ferienwohnung"),
        offers=("coworking", "uebernachtung", "seminarraum"),
        former_use="Ferienheim",
        building="holiday_home",
        actor_type="unternehmen",
        founded=2019,
        street="Uferpromenade 21",
        contact_person="Anja Reimers",
        opening_hours="Mo-Su 08:00-20:00",
        checked_days_ago=100,
        water=True,
        links=(
            ("instagram", "https://instagram.example/haus.uferlicht"),
            ("linkedin", "https://linkedin.example/company/haus-uferlicht"),
        ),
        story=Story(
            building=(
                "<p>Das lang gestreckte Gebäude mit Flachdach wurde 1968 als Ferienheim eines "
                "Betriebs gebaut; Generationen von Familien haben hier ihren Sommerurlaub "
                "verbracht. 2019 wurde es energetisch saniert und in 14 Apartments, einen "
                "Coworking-Raum und zwei Seminarräume umgebaut.</p>"
            ),
            location=(
                "<p>Das Haus steht direkt am Südufer des Arendsees, zwischen Kiefern und "
                "Badestelle. Der Ortskern mit Bäckerei, Supermarkt und Klosterruine ist zehn "
                "Minuten zu Fuß entfernt.</p>"
            ),
            people=(
                "<p>Anja Reimers hat lange in Hamburg als Projektmanagerin gearbeitet, bevor "
                "sie mit ihrem Partner das Haus übernommen hat. Zu den Gästen gehören Teams aus "
                "Berlin und Hamburg, Schreibende und Menschen, die vor dem Umzug aufs Land "
                "eine Probezeit einlegen.</p>"
            ),
            life=(
                "<p>Arbeitsplätze mit Blick aufs Wasser, ein schallgeschützter Raum für "
                "Videokonferenzen und ein Steg zum Baden in der Mittagspause: Das ist "
                "<b>Workation</b> am Arendsee. Im Winter ist das Haus Treffpunkt für "
                "Klausurtagungen.</p>"
            ),
            quote="Nach einer Woche am See fragen viele: Warum eigentlich nicht für immer?",
            quote_by="Anja Reimers, Gastgeberin",
            facts=(
                ("Baujahr", "1968"),
                ("Apartments", "14"),
                ("Arbeitsplätze", "18 im Coworking-Raum"),
                ("Bis zum See", "50 Meter"),
            ),
            image_caption="Das ehemalige Ferienheim am Ufer des Arendsees",
        ),
    ),
    Place(
        slug="pfarrhof-am-lindenplatz",
        title="Pfarrhof am Lindenplatz",
        short_name="Pfarrhof am Lindenplatz",
        town="kloetze",
        offset=(0.0033, 0.0027),
        teaser=(
            "Ein Verein baut das alte Fachwerk-Pfarrhaus zum Mehrgenerationenhaus mit "
            "Gemeinschaftsgarten und Nachbarschaftsraum um."
        ),
        categories=("wohnen-bauen", "leben-tourismus"),
        tags=("Wohnprojekt", "Mehrgenerationenwohnen", "Gemeinschaftsgarten"),
        offers=("wohnraum", "veranstaltungsraum"),
        status="im-aufbau",
        former_use="Pfarrhaus",
        building="parsonage",
        actor_type="verein",
        founded=2025,
        street="Lindenplatz 4",
        contact_person="Gudrun Ebeling",
        opening_hours="",
        checked_days_ago=200,
        seeking_members_text=(
            "Wir suchen Mitstreiter*innen jeden Alters für das Mehrgenerationenhaus – und "
            "Menschen mit Erfahrung in Förderanträgen und Denkmalpflege."
        ),
        links=(("other", "https://spenden.example/pfarrhof-am-lindenplatz"),),
        story=Story(
            building=(
                "<p>Das Pfarrhaus aus Fachwerk wurde 1781 neben der Feldsteinkirche gebaut und "
                "war bis 2012 bewohnt. Die Kirchengemeinde hat es 2025 in Erbpacht an einen "
                "Verein gegeben, der es behutsam saniert: Lehmgefache, Holzfenster und "
                "Dielenböden bleiben erhalten.</p>"
            ),
            location=(
                "<p>Der Pfarrhof liegt am Lindenplatz im Ortskern, gleich neben der Kirche. Zum "
                "Hof gehören eine Scheune, ein Obstgarten und eine große Wiese, die künftig "
                "allen im Ort offenstehen soll.</p>"
            ),
            people=(
                "<p>Hinter dem Verein stehen zwölf Menschen zwischen 24 und 78 Jahren: "
                "Alteingesessene, Zugezogene und zwei Studierende, die ihre Abschlussarbeit über "
                "das Projekt schreiben.</p>"
            ),
            life=(
                "<p>Geplant sind vier Wohnungen für Jung und Alt, ein Nachbarschaftsraum für "
                "Feste, Kurse und Sprechstunden sowie ein <b>Gemeinschaftsgarten</b>. Bis es so "
                "weit ist, lädt der Verein im Sommer zu Gartentagen und Hofkonzerten ein.</p>"
            ),
            quote=(
                "Das Haus hat über 200 Jahre Menschen zusammengebracht. Das soll es auch in "
                "Zukunft tun."
            ),
            quote_by="Gudrun Ebeling, Vorsitzende des Vereins",
            facts=(
                ("Baujahr", "1781"),
                ("Geplante Wohnungen", "4"),
                ("Grundstück", "ca. 3.500 m² mit Obstgarten"),
                ("Status", "Sanierung seit 2025"),
            ),
            image_caption="Das Fachwerk-Pfarrhaus neben der Kirche",
        ),
    ),
    Place(
        slug="mildewerk-kalbe",
        title="Mildewerk – Ateliers & Gastresidenz",
        short_name="Mildewerk",
        town="kalbe",
        offset=(0.0019, -0.0029),
        teaser=(
            "Im ehemaligen Postamt arbeiten Künstlerinnen und Künstler auf Zeit: sechs Ateliers, "
            "Gästezimmer und ein Ausstellungsraum an der Milde."
        ),
        categories=("leben-tourismus", "arbeiten-wirtschaft"),
        tags=("Atelier", "Künstlerresidenz", "Ausstellungen"),
        offers=("atelier", "uebernachtung", "veranstaltungsraum"),
        former_use="Postamt",
        building="townhouse",
        actor_type="verein",
        founded=2013,
        street="Postgasse 6",
        contact_person="Marek Nowak",
        opening_hours="Th-Su 14:00-18:00",
        checked_days_ago=520,
        links=(
            ("instagram", "https://instagram.example/mildewerk"),
            ("youtube", "https://video.example/@mildewerk"),
        ),
        story=Story(
            building=(
                "<p>Das Postamt mit Backsteingiebel und großer Schalterhalle wurde 1905 eröffnet "
                "und 1997 geschlossen. Seit 2013 nutzt ein Kunstverein das Haus: Die "
                "Schalterhalle ist Ausstellungsraum, in den früheren Büros und der "
                "Postmeisterwohnung sind Ateliers und Gästezimmer.</p>"
            ),
            location=(
                "<p>Das Mildewerk liegt in der Innenstadt, wenige Schritte vom Ufer der Milde. "
                "Ringsum gibt es leerstehende Läden, die der Verein im Sommer für Ausstellungen "
                "nutzt.</p>"
            ),
            people=(
                "<p>Jedes Jahr kommen rund 20 Künstlerinnen und Künstler für einige Wochen nach "
                "Kalbe – aus ganz Deutschland, Polen, den Niederlanden und Skandinavien. Der "
                "Verein selbst hat 35 Mitglieder, die meisten wohnen in der Stadt.</p>"
            ),
            life=(
                "<p>Die Gäste arbeiten in den Ateliers, geben Workshops an der Schule und zeigen "
                "ihre Arbeiten zum Abschluss in der <b>Schalterhalle</b>. Wer bleiben möchte, "
                "findet Hilfe bei der Suche nach Wohnung und Atelier.</p>"
            ),
            quote=(
                "Drei Künstler aus unseren Residenzen sind inzwischen ganz nach Kalbe gezogen. "
                "Das ist unser schönster Erfolg."
            ),
            quote_by="Marek Nowak, Kurator",
            facts=(
                ("Baujahr", "1905"),
                ("Ateliers", "6"),
                ("Gästezimmer", "5"),
                ("Residenzen pro Jahr", "rund 20"),
            ),
            image_caption="Das ehemalige Postamt mit Backsteingiebel",
        ),
    ),
    Place(
        slug="wischehof-seehausen",
        gallery=2,
        title="Wischehof – Hofladen & Probewohnen",
        short_name="Wischehof",
        town="seehausen",
        offset=(-0.0036, 0.0048),
        teaser=(
            "Ein Bauernhof in der Wische mit Hofladen, solidarischer Landwirtschaft und zwei "
            "Wohnungen zum Probewohnen für Menschen, die aufs Land ziehen wollen."
        ),
        categories=("wohnen-bauen", "leben-tourismus"),
        tags=("Hofladen", "Probewohnen", "Solidarische Landwirtschaft"),
        offers=("hofladen", "probewohnen", "uebernachtung"),
        former_use="Bauernhof",
        building="farm",
        actor_type="private-initiative",
        founded=2017,
        street="Deichweg 9",
        contact_person="Hanna Lüdtke",
        opening_hours="Tu,Fr 14:00-18:00; Sa 09:00-12:00",
        checked_days_ago=15,
        links=(("instagram", "https://instagram.example/wischehof"),),
        story=Story(
            building=(
                "<p>Das Wohnhaus aus Fachwerk und die Holzscheune stammen aus der Mitte des 19. "
                "Jahrhunderts. Nach der Wende wurde der Hof nur noch als Wochenendhaus genutzt. "
                "2017 haben Hanna und Jan Lüdtke ihn übernommen und wieder zu einem "
                "bewirtschafteten Hof gemacht.</p>"
            ),
            location=(
                "<p>Der Hof liegt allein zwischen Wiesen und Gräben in der Wische, drei "
                "Kilometer vor Seehausen. Bis zum Elbdeich ist es ein kurzer Spaziergang, im "
                "Frühjahr rasten hier Tausende Gänse.</p>"
            ),
            people=(
                "<p>Die Lüdtkes sind Agraringenieurin und Zimmermann und kamen aus Hannover. Sie "
                "bewirtschaften sechs Hektar Gemüse und Obst; 80 Haushalte aus der Umgebung "
                "erhalten als Mitglieder der solidarischen Landwirtschaft jede Woche einen "
                "Ernteanteil.</p>"
            ),
            life=(
                "<p>Im Hofladen gibt es Gemüse, Eier, Säfte und Brot aus dem Backhaus. Zwei "
                "Ferienwohnungen im ehemaligen Stall sind für <b>Probewohnen</b> reserviert: "
                "Wer überlegt, aufs Land zu ziehen, kann hier bis zu drei Monate leben und "
                "mitarbeiten.</p>"
            ),
            quote=(
                "Viele unterschätzen, wie nah hier alles ist. Mit dem Zug bin ich schneller in "
                "Berlin als früher von Hannover-Linden ins Büro."
            ),
            quote_by="Hanna Lüdtke",
            facts=(
                ("Baujahr", "um 1850"),
                ("Anbaufläche", "6 ha Gemüse und Obst"),
                ("Ernteanteile", "80 Haushalte"),
                ("Probewohnen", "2 Wohnungen, bis zu 3 Monate"),
            ),
            image_caption="Der Wischehof mit Fachwerkhaus und Scheune",
        ),
    ),
    Place(
        slug="huettenwerkstatt-tangerhuette",
        title="Hüttenwerkstatt Tangerhütte",
        short_name="Hüttenwerkstatt Tangerhütte",
        town="tangerhuette",
        offset=(0.0031, 0.0044),
        teaser=(
            "In einer alten Gießereihalle entsteht ein Makerspace mit Metallwerkstatt, "
            "Elektroniklabor und 3D-Druck für Schulen, Betriebe und Tüftler."
        ),
        categories=("arbeiten-wirtschaft",),
        tags=("Makerspace", "Offene Werkstatt", "3D-Druck"),
        offers=("werkstatt", "seminarraum"),
        status="im-aufbau",
        former_use="Gießereihalle",
        building="factory",
        actor_type="verein",
        founded=2025,
        street="Hüttenstraße 30",
        contact_person="Dennis Kowalski",
        opening_hours="Th 17:00-21:00",
        checked_days_ago=75,
        seeking_members_text=(
            "Gesucht: Menschen mit Lust auf Metall, Elektronik und 3D-Druck – und Betriebe, die "
            "Maschinen als Dauerleihgabe zur Verfügung stellen."
        ),
        links=(("mastodon", "https://social.example/@huettenwerkstatt"),),
        story=Story(
            building=(
                "<p>Die Halle mit Sheddach gehörte zum Eisenwerk, dem die Stadt ihren Namen "
                "verdankt. Gebaut wurde sie um 1900, gegossen wurde hier bis in die 1990er-Jahre. "
                "Der Verein hat einen Teil der Halle 2025 gemietet und baut ihn mit Unterstützung "
                "der Stadt zur offenen Werkstatt um.</p>"
            ),
            location=(
                "<p>Die Halle liegt auf dem früheren Werksgelände am Tanger, fünf Minuten vom "
                "Bahnhof. Nebenan haben sich ein Metallbaubetrieb und eine Solarfirma "
                "angesiedelt.</p>"
            ),
            people=(
                "<p>Gegründet haben den Verein ein Industriemechaniker, eine Physiklehrerin und "
                "zwei Studierende, die am Wochenende nach Hause kommen. Zum offenen Abend kommen "
                "inzwischen jede Woche 15 bis 20 Leute.</p>"
            ),
            life=(
                "<p>Schon jetzt gibt es jeden Donnerstag einen <b>offenen Werkstattabend</b>. "
                "Geplant sind Kurse für Schulklassen, ein Reparaturtreff und Arbeitsplätze für "
                "Gründer*innen, die Prototypen bauen wollen.</p>"
            ),
            quote=(
                "Hier wurde über hundert Jahre lang etwas hergestellt. Wir wollen, dass das so "
                "bleibt – nur eben anders."
            ),
            quote_by="Dennis Kowalski, Vorsitzender",
            facts=(
                ("Baujahr", "um 1900"),
                ("Fläche", "ca. 600 m² Werkstatt"),
                ("Offener Abend", "donnerstags ab 17 Uhr"),
                ("Eröffnung", "geplant Frühjahr 2027"),
            ),
            image_caption="Die alte Gießereihalle mit Sheddach",
        ),
    ),
    Place(
        slug="kiefernhof-diesdorf",
        title="Kiefernhof Diesdorf",
        short_name="Kiefernhof Diesdorf",
        town="diesdorf",
        offset=(0.0027, 0.0039),
        teaser=(
            "Gästehaus, Seminarhof und Hofcafé am Waldrand: ein Ort für Klausuren, "
            "Familienferien und lange Sonntage unter alten Kiefern."
        ),
        categories=("leben-tourismus", "wohnen-bauen"),
        tags=("Ferienwohnung", "Seminarhaus", "Hofcafé"),
        offers=("uebernachtung", "seminarraum", "cafe-gastronomie"),
        former_use="Bauernhof",
        building="farm",
        actor_type="private-initiative",
        founded=2012,
        street="Heideweg 17",
        contact_person="Birgit Hoffmann",
        opening_hours="Apr-Oct Fr-Su 12:00-18:00",
        checked_days_ago=130,
        links=(
            ("facebook", "https://facebook.example/kiefernhof"),
            ("instagram", "https://instagram.example/kiefernhof.diesdorf"),
        ),
        story=Story(
            building=(
                "<p>Der Dreiseithof mit Fachwerkhaus, Stall und Scheune wurde 1862 gebaut. Als "
                "Birgit und Frank Hoffmann ihn 2012 kauften, war das Dach undicht und der Stall "
                "voller Gerümpel. Heute sind im Wohnhaus Gästezimmer, im Stall ein Seminarraum "
                "und in der Scheune das Hofcafé.</p>"
            ),
            location=(
                "<p>Der Hof liegt am Rand von Diesdorf, direkt am Waldrand. Zum Freilichtmuseum "
                "und zur Klosterkirche sind es zehn Minuten mit dem Rad, bis zur Grenze nach "
                "Niedersachsen eine Viertelstunde.</p>"
            ),
            people=(
                "<p>Birgit Hoffmann ist Moderatorin und Coach, Frank Hoffmann Koch. Sie sind "
                "aus dem Ruhrgebiet in die Altmark gezogen und beschäftigen heute vier Menschen "
                "aus dem Ort.</p>"
            ),
            life=(
                "<p>Unter der Woche buchen Teams und Vereine den Hof für <b>Klausurtagungen</b>, "
                "am Wochenende öffnet das Hofcafé mit Blechkuchen und Suppe aus dem Garten. In "
                "den Ferien kommen Familien aus Berlin, Hamburg und Hannover.</p>"
            ),
            quote=(
                "Unsere Gäste kommen wegen der Ruhe. Und viele kommen wieder, weil sie hier "
                "Menschen kennengelernt haben."
            ),
            quote_by="Birgit Hoffmann, Gastgeberin",
            facts=(
                ("Baujahr", "1862"),
                ("Gästezimmer", "8 mit 20 Betten"),
                ("Seminarraum", "für bis zu 24 Personen"),
                ("Hofcafé", "April bis Oktober, Fr bis So"),
            ),
            image_caption="Der Kiefernhof mit Fachwerkhaus und Scheune",
        ),
    ),
    Place(
        slug="jeetzemuehle-beetzendorf",
        title="Jeetzemühle – Wohnen & Werken",
        short_name="Jeetzemühle",
        town="beetzendorf",
        offset=(-0.0029, -0.0035),
        teaser=(
            "Eine Genossenschaft baut die denkmalgeschützte Wassermühle an der Jeetze zu sechs "
            "Wohnungen und gemeinsamen Arbeitsräumen um."
        ),
        categories=("wohnen-bauen", "arbeiten-wirtschaft"),
        tags=("Wohnprojekt", "Coworking", "Denkmal"),
        offers=("wohnraum", "coworking"),
        status="im-aufbau",
        former_use="Wassermühle",
        building="mill",
        actor_type="genossenschaft",
        founded=2023,
        street="Mühlenweg 1",
        contact_person="Christian Paulsen",
        opening_hours="",
        checked_days_ago=160,
        water=True,
        seeking_members_text=(
            "Wir suchen Genossenschaftsmitglieder, die eine der sechs geplanten Wohnungen "
            "beziehen oder das Projekt mit einer Einlage unterstützen möchten."
        ),
        links=(("instagram", "https://instagram.example/jeetzemuehle"),),
        story=Story(
            building=(
                "<p>Die Wassermühle mit Fachwerkobergeschoss wurde 1824 gebaut und mahlte bis "
                "1968 Getreide. Mühlrad und Teile der Technik sind erhalten und stehen unter "
                "Denkmalschutz. 2023 hat eine Genossenschaft die Mühle gekauft; die Sanierung "
                "hat 2025 begonnen.</p>"
            ),
            location=(
                "<p>Die Mühle liegt am Ortsrand direkt an der Jeetze, umgeben von Wiesen und "
                "Erlen. Bäcker, Grundschule und Bushaltestelle sind fünf Minuten zu Fuß "
                "entfernt.</p>"
            ),
            people=(
                "<p>Die Genossenschaft hat 28 Mitglieder. Vier Haushalte wollen selbst in die "
                "Mühle ziehen, darunter ein Paar, das heute in Braunschweig arbeitet und künftig "
                "zwei Tage pro Woche von hier aus arbeiten möchte.</p>"
            ),
            life=(
                "<p>Geplant sind sechs Wohnungen, ein <b>Gemeinschaftsbüro</b> im ehemaligen "
                "Mahlboden und eine kleine Werkstatt. Das Mühlrad soll wieder Strom erzeugen. "
                "Einmal im Monat gibt es eine Baustellenführung für Interessierte.</p>"
            ),
            quote=(
                "Die Mühle hat 150 Jahre für das Dorf gearbeitet. Jetzt arbeiten wir für die Mühle."
            ),
            quote_by="Christian Paulsen, Vorstand",
            facts=(
                ("Baujahr", "1824"),
                ("Geplante Wohnungen", "6"),
                ("Genossenschaft", "28 Mitglieder"),
                ("Fertigstellung", "geplant 2027"),
            ),
            image_caption="Die Wassermühle an der Jeetze mit ihrem Mühlrad",
        ),
    ),
)


SAALE_UNSTRUT_PLACES: tuple[Place, ...] = (
    Place(
        slug="setzerei-naumburg",
        title="Setzerei Naumburg – Coworking & Lesecafé",
        short_name="Setzerei Naumburg",
        town="naumburg",
        offset=(0.0018, -0.0026),
        teaser=(
            "In einer ehemaligen Druckerei nahe dem Markt: Coworking zwischen alten "
            "Setzkästen, ein Lesecafé und eine offene Druckwerkstatt."
        ),
        categories=("arbeiten-wirtschaft", "leben-tourismus"),
        tags=("Coworking", "Lesecafé", "Druckwerkstatt"),
        offers=("coworking", "cafe-gastronomie", "seminarraum"),
        former_use="Druckerei",
        building="townhouse",
        actor_type="unternehmen",
        founded=2021,
        street="Setzergasse 4",
        contact_person="Paula Engel",
        opening_hours="Mo-Fr 08:30-18:00; Sa 10:00-15:00",
        checked_days_ago=40,
        hills=True,
        links=(("instagram", "https://instagram.example/setzerei.naumburg"),),
        story=Story(
            building=(
                "<p>Das Haus mit Treppengiebel beherbergte von 1886 bis 2002 eine Druckerei. "
                "Setzkästen, eine Tiegeldruckpresse und die alten Regale sind geblieben und "
                "gehören heute zur Einrichtung.</p>"
            ),
            location=(
                "<p>Die Setzerei liegt in der Altstadt, wenige Minuten vom Markt und vom Dom. "
                "Die historische Straßenbahn hält fast vor der Tür.</p>"
            ),
            people=(
                "<p>Paula Engel ist Buchgestalterin und kam aus Leipzig zurück in ihre "
                "Heimatstadt. Zu den Mitgliedern gehören Lektorinnen, ein Weinhändler, "
                "Entwickler und Studierende, die für das Studium nicht mehr wegziehen "
                "wollen.</p>"
            ),
            life=(
                "<p>Im Erdgeschoss ist das <b>Lesecafé</b> mit Büchern aus der Region, darüber "
                "sind 16 Arbeitsplätze. In der Druckwerkstatt werden Plakate, Karten und kleine "
                "Auflagen von Gedichtbänden gedruckt.</p>"
            ),
            quote="Hier wurde früher Zeitung gemacht. Heute schreiben hier Menschen Bücher.",
            quote_by="Paula Engel, Gründerin",
            facts=(
                ("Baujahr", "um 1880"),
                ("Arbeitsplätze", "16"),
                ("Druckwerkstatt", "Tiegelpresse und Bleisatz"),
                ("Zum Dom", "5 Minuten zu Fuß"),
            ),
            image_caption="Das alte Druckereigebäude in der Altstadt",
        ),
    ),
    Place(
        slug="rebenwerk-freyburg",
        title="Rebenwerk Freyburg",
        short_name="Rebenwerk Freyburg",
        town="freyburg",
        offset=(0.0024, 0.0031),
        teaser=(
            "Ein altes Kelterhaus im Weinberg mit Gästezimmern und einer Werkstatt, in der "
            "Gäste das Handwerk rund um den Wein kennenlernen."
        ),
        categories=("leben-tourismus", "arbeiten-wirtschaft"),
        tags=("Ferienwohnung", "Weinbau", "Seminarhaus"),
        offers=("uebernachtung", "seminarraum"),
        former_use="Kelterhaus",
        building="winery",
        actor_type="private-initiative",
        founded=2018,
        street="Am Rebhang 12",
        contact_person="Lukas Reinhardt",
        opening_hours="Apr-Oct Fr-Su 12:00-19:00",
        checked_days_ago=70,
        hills=True,
        links=(("facebook", "https://facebook.example/rebenwerk"),),
        story=Story(
            building=(
                "<p>Das kleine Kelterhaus aus Muschelkalk stammt aus dem 18. Jahrhundert. Im "
                "Gewölbekeller lagerte früher der Wein, oben wurden die Trauben gepresst. 2018 "
                "wurde das Haus saniert und um einen Anbau aus Holz ergänzt.</p>"
            ),
            location=(
                "<p>Das Rebenwerk liegt mitten in den Terrassen am Südhang über der Unstrut. "
                "Von der Bank vor dem Haus blickt man auf Freyburg und Schloss Neuenburg.</p>"
            ),
            people=(
                "<p>Lukas Reinhardt ist Winzer im Nebenerwerb und arbeitet die übrige Zeit als "
                "Softwareentwickler – meist von hier aus. Bei der Lese helfen Freunde, Nachbarn "
                "und Gäste.</p>"
            ),
            life=(
                "<p>Drei Gästezimmer, ein Seminarraum im Gewölbe und <b>Weinbergskurse</b> vom "
                "Rebschnitt bis zur Lese: Das Rebenwerk verbindet Urlaub, Arbeit und "
                "Handwerk.</p>"
            ),
            quote=(
                "Vormittags Code, nachmittags Rebschnitt – besser kann ich es mir nicht vorstellen."
            ),
            quote_by="Lukas Reinhardt",
            facts=(
                ("Baujahr", "18. Jahrhundert"),
                ("Rebfläche", "0,8 ha"),
                ("Gästezimmer", "3"),
                ("Kurse", "März bis Oktober"),
            ),
            image_caption="Das Kelterhaus zwischen den Weinbergen",
        ),
    ),
    Place(
        slug="gueterboden-laucha",
        title="Güterboden Laucha",
        short_name="Güterboden Laucha",
        town="laucha",
        offset=(-0.0017, 0.0023),
        teaser=(
            "Fahrradwerkstatt, Radlerstation und offene Werkstatt im alten Güterschuppen am "
            "Bahnhof – direkt am Unstrut-Radweg."
        ),
        categories=("arbeiten-wirtschaft", "leben-tourismus"),
        tags=("Fahrradwerkstatt", "Makerspace", "Radtourismus"),
        offers=("werkstatt", "cafe-gastronomie"),
        former_use="Güterschuppen",
        building="station",
        actor_type="verein",
        founded=2020,
        street="Am Bahnhof 3",
        contact_person="Sophie Kramer",
        opening_hours="May-Sep Tu-Su 10:00-18:00; Oct-Apr Sa,Su 11:00-16:00",
        checked_days_ago=55,
        hills=True,
        seeking_members_text=(
            "Für die Radlerstation suchen wir Ehrenamtliche, die an Wochenenden Dienste übernehmen."
        ),
        getting_there_extra="Der Güterboden liegt direkt am Bahnhof.",
        links=(("instagram", "https://instagram.example/gueterboden.laucha"),),
        story=Story(
            building=(
                "<p>Der Bahnhof mit Güterschuppen entstand um 1890 an der Unstrutbahn. Der "
                "Schuppen wurde seit den 1990er-Jahren nicht mehr gebraucht. Ein Verein hat ihn "
                "2020 gepachtet und zur Werkstatt mit kleinem Café umgebaut.</p>"
            ),
            location=(
                "<p>Der Güterboden liegt am Bahnhof, direkt am Unstrut-Radweg. Die Altstadt "
                "ist fünf Minuten entfernt, die Weinberge beginnen gleich hinter den "
                "Gleisen.</p>"
            ),
            people=(
                "<p>Der Verein hat 25 Mitglieder, darunter ein Fahrradmechaniker im Ruhestand, "
                "eine Tischlerin und mehrere Jugendliche, die hier ihr erstes eigenes Rad "
                "zusammengebaut haben.</p>"
            ),
            life=(
                "<p>Radreisende bekommen hier Hilfe bei Pannen, Kaffee und einen Platz zum "
                "Ausruhen. Unter der Woche ist die <b>offene Werkstatt</b> für alle da, im "
                "Winter gibt es Kurse zu Holz und Metall.</p>"
            ),
            quote="Jeder Platten ist eine Gelegenheit, Leute kennenzulernen.",
            quote_by="Sophie Kramer, Vereinsvorsitzende",
            facts=(
                ("Baujahr", "um 1890"),
                ("Fläche", "ca. 180 m²"),
                ("Mitglieder", "25"),
                ("Radweg", "Unstrut-Radweg direkt vor der Tür"),
            ),
            image_caption="Der alte Bahnhof mit Güterschuppen",
        ),
    ),
)


# --- Regions, home, content pages ------------------------------------------------------------

ALTMARK = Region(
    slug="altmark",
    title="Altmark",
    intro=(
        "<p>Die Altmark im Norden Sachsen-Anhalts liegt mitten im Städtedreieck Berlin, Hamburg "
        "und Hannover. Weite Felder, Alleen, die Elbe und Hansestädte aus Backstein prägen die "
        "Region – und immer mehr Menschen, die leerstehende Gutshäuser, Bahnhöfe, Schulen und "
        "Scheunen zu Orten zum <b>Wohnen</b>, <b>Arbeiten</b> und <b>Leben</b> machen.</p>"
    ),
    contact_person="Regionalmanagement Altmark (ART)",
    # The address from the project announcement (seed press release).
    contact_email="kreativorte@altmark.de",
    hero_building="village",
    hills=False,
    body=(
        ("heading", "Pilotregion für Sachsen-Anhalt"),
        (
            "paragraph",
            "<p>Die Altmark ist die erste Region im Portal. Der Altmärkische Regionalmarketing- "
            "und Tourismusverband (ART) sammelt die Orte gemeinsam mit der Investitions- und "
            "Marketinggesellschaft Sachsen-Anhalt (IMG) und stellt sie hier vor – vom "
            "Coworking im alten Bahnhof bis zum Wohnprojekt im Gutshaus.</p>",
        ),
        (
            "key_facts",
            "Die Altmark auf einen Blick",
            (
                ("Landkreise", "Altmarkkreis Salzwedel und Landkreis Stendal"),
                ("Fläche", "rund 4.700 km²"),
                ("Einwohner*innen", "rund 190.000"),
                ("Lage", "zwischen Berlin, Hamburg und Hannover"),
            ),
        ),
        ("heading", "Ihr Ort fehlt noch?"),
        (
            "paragraph",
            "<p>Sie kennen einen kreativen Ort in der Altmark oder betreiben selbst einen? "
            "Dann {link:mitmachen:machen Sie mit} – wir freuen uns auf Ihre Kurzvorstellung.</p>",
        ),
    ),
)

SAALE_UNSTRUT = Region(
    slug="saale-unstrut",
    title="Saale-Unstrut",
    intro=(
        "<p>Weinberge über Saale und Unstrut, Burgen, der Naumburger Dom als UNESCO-Welterbe und "
        "kleine Städte mit viel Platz: Die Region im Süden Sachsen-Anhalts ist die zweite Region "
        "im Portal – mit ersten Beispielorten.</p>"
    ),
    contact_person="Regionalmanagement Saale-Unstrut (Demo)",
    contact_email="kreativorte@saale-unstrut.example",
    hero_building="winery",
    hills=True,
    body=(
        ("heading", "Eine Region im Aufbau"),
        (
            "paragraph",
            "<p>Die Saale-Unstrut-Region gehört zu den nördlichsten Weinbaugebieten Deutschlands. "
            "Zwischen Naumburg, Freyburg und Laucha entstehen Orte, an denen Menschen arbeiten, "
            "wohnen und Gäste empfangen. Die Redaktion für diese Region sammelt gerade die ersten "
            "Orte.</p>",
        ),
    ),
)

REGIONS: tuple[tuple[Region, tuple[Place, ...]], ...] = (
    (ALTMARK, ALTMARK_PLACES),
    (SAALE_UNSTRUT, SAALE_UNSTRUT_PLACES),
)

HOME_TITLE = "Kreativorte im Grünen"
HOME_INTRO = (
    "<p>Wie kann das Landleben der Zukunft aussehen? Das zeigen Menschen, die leerstehende "
    "Gutshäuser, Bahnhöfe, Scheunen und Schulen zu neuen Orten zum <b>Wohnen</b>, "
    "<b>Arbeiten</b> und <b>Leben</b> machen. <i>Kreativorte im Grünen</i> stellt diese Orte "
    "vor – zuerst in der Altmark, der Pilotregion für Sachsen-Anhalt.</p>"
)
HOME_BODY = (
    ("heading", "Drei Themenfelder"),
    (
        "paragraph",
        "<ul><li><b>Wohnen/Bauen:</b> Wohnprojekte, Baugruppen und Menschen, die alte Gebäude "
        "zum Wohnen umbauen.</li><li><b>Arbeiten/Wirtschaft:</b> Coworking, Werkstätten, "
        "Gründungen und kreative Unternehmen.</li><li><b>Leben/Tourismus:</b> Kultur, "
        "Gastronomie, Übernachten und Begegnung.</li></ul>",
    ),
    ("heading", "Mitten im Städtedreieck"),
    (
        "paragraph",
        "<p>Von der Altmark aus sind Berlin, Hamburg und Hannover gut erreichbar. Wer in der "
        "Stadt arbeitet und auf dem Land leben möchte – oder umgekehrt –, findet hier Raum, "
        "Ruhe und Menschen mit Ideen.</p>",
    ),
    (
        "quote",
        "Wie das Landleben der Zukunft funktionieren kann, zeigen die Orte, die es schon gibt.",
        "Aus dem Projektaufruf von ART und IMG",
    ),
    ("heading", "Machen Sie mit"),
    (
        "paragraph",
        "<p>Sie betreiben einen kreativen Ort, ein Wohnprojekt oder ein Start-up auf dem Land? "
        "{link:so-gehts:So kommt Ihr Ort ins Portal.}</p>",
    ),
)


CONTENT_PAGES: tuple[tuple[str, str, str, tuple], ...] = (
    (
        "ueber-das-projekt",
        "Über das Projekt",
        "<p><i>Kreativorte im Grünen</i> macht sichtbar, wie kreative und zukunftsweisende "
        "Wohn- und Arbeitsprojekte den Leerstand auf dem Land neu beleben – zuerst in der "
        "Altmark, nach und nach in weiteren Regionen Sachsen-Anhalts.</p>",
        (
            ("heading", "Worum es geht"),
            (
                "paragraph",
                "<p>Chancen der Digitalisierung nutzen und die Potenziale des ländlichen Raums "
                "sichtbar machen: Das sind die Hauptanliegen des Projekts. In der Altmark – "
                "mitten im Städtedreieck Berlin, Hannover und Hamburg – haben Menschen "
                "leerstehende Gutshäuser, Bahnhöfe, Schulen und Scheunen zu Coworking-Räumen, "
                "Wohnprojekten, Werkstätten und Kulturorten gemacht. Das Portal bündelt diese "
                "Orte, Projekte und Initiativen in den drei Themenfeldern Wohnen/Bauen, "
                "Arbeiten/Wirtschaft und Leben/Tourismus.</p>",
            ),
            (
                "paragraph",
                "<p>Die Orte sollen vor allem Kopfarbeiter*innen und Rückkehrer*innen aus den "
                "großen Städten dazu inspirieren, die Altmark als Lebens- und Arbeitsort mit "
                "viel Raum für kreative Entfaltung zu entdecken.</p>",
            ),
            ("heading", "Wer dahinter steht"),
            (
                "paragraph",
                "<p>Der Altmärkische Regionalmarketing- und Tourismusverband (ART) koordiniert "
                "gemeinsam mit der Investitions- und Marketinggesellschaft Sachsen-Anhalt (IMG), "
                "der Wirtschaftsförderungsgesellschaft des Landes, die Erfassung der Orte und "
                "ihre Darstellung im Portal. Partner für die länderübergreifende "
                "Zusammenarbeit ist das Netzwerk Zukunftsorte, das bereits Smart-Country-Orte "
                "in Brandenburg zeigt.</p>",
            ),
            (
                "key_facts",
                "Das Projekt auf einen Blick",
                (
                    ("Pilotregion", "Altmark"),
                    ("Themenfelder", "Wohnen/Bauen, Arbeiten/Wirtschaft, Leben/Tourismus"),
                    ("Koordination", "ART gemeinsam mit der IMG Sachsen-Anhalt"),
                    ("Partner", "Netzwerk Zukunftsorte"),
                ),
            ),
            ("heading", "Die Altmark als Pilotregion"),
            (
                "paragraph",
                "<p>Die Altmark ist die Pilotregion für Sachsen-Anhalt. Weitere Regionen des "
                "Landes folgen und werden – jeweils mit eigener Redaktion – im Portal "
                "abgebildet. Als zweite Region ist Saale-Unstrut mit ersten Beispielorten "
                "dabei.</p>",
            ),
            ("heading", "Offen für andere Karten und Portale"),
            (
                "paragraph",
                "<p>Die Angaben zu den Orten sind so aufbereitet, dass Partnerkarten, Apps und "
                "andere Portale sie übernehmen können – über Ländergrenzen hinweg.</p>",
            ),
        ),
    ),
    (
        # Not "mitmachen": /mitmachen/ is the application form (applications app).
        "so-gehts",
        "So machen Sie mit",
        "<p>Sie betreiben einen kreativen Ort auf dem Land, planen ein Wohnprojekt oder haben "
        "ein leerstehendes Gebäude neu belebt? Dann werden Sie <b>Zukunftsmacher*in</b> und "
        "zeigen Sie Ihren Ort im Portal.</p>",
        (
            ("heading", "Wer mitmachen kann"),
            (
                "paragraph",
                "<p>Gesucht sind alternative und digitale Projekte, Orte und Initiativen – ob "
                "Aktionsgruppe, Kreativ- oder Digitalunternehmen, Start-up, Gründer*in, Verein "
                "oder Kommune. Entscheidend ist, dass Ihr Projekt zeigt, wie Wohnen, Arbeiten "
                "und Leben auf dem Land heute und morgen aussehen können.</p>",
            ),
            ("heading", "So kommt Ihr Ort ins Portal"),
            (
                "paragraph",
                "<ol><li>Füllen Sie das Formular {link:mitmachen:Ort vorschlagen} aus: eine "
                "kurze Vorstellung Ihres Ortes – Was ist das für ein Gebäude, was passiert dort, "
                "wer steckt dahinter?</li><li>Schicken Sie bis zu drei Fotos mit, an denen Sie "
                "die Rechte haben, und nennen Sie, wer sie aufgenommen hat.</li><li>Das "
                "Regionalmanagement meldet sich bei Ihnen, stimmt den Text mit Ihnen ab und "
                "veröffentlicht Ihren Ort.</li></ol>",
            ),
            (
                "paragraph",
                "<p>Lieber per E-Mail? Ihre Kurzvorstellung für die Altmark können Sie auch an "
                'das Regionalmanagement des ART senden: <a href="mailto:kreativorte@altmark.de">'
                "kreativorte@altmark.de</a>.</p>",
            ),
            ("heading", "Was mit Ihren Angaben passiert"),
            (
                "paragraph",
                "<p>Wir verwenden Ihre Angaben nur, um Ihren Ort im Portal darzustellen und mit "
                "Ihnen Kontakt aufzunehmen. Einzelheiten finden Sie in der "
                "{link:datenschutz:Datenschutzerklärung}.</p>",
            ),
        ),
    ),
    (
        "impressum",
        "Impressum",
        "<p><b>Hinweis: Dies ist eine Demo-Installation.</b> Die Angaben in eckigen Klammern "
        "sind Platzhalter und werden vor dem Start des Portals durch die Angaben des Betreibers "
        "ersetzt.</p>",
        (
            ("heading", "Angaben gemäß § 5 DDG"),
            (
                "paragraph",
                "<p>[Name des Betreibers, z. B. Altmärkischer Regionalmarketing- und "
                "Tourismusverband (ART)]<br/>[Straße und Hausnummer]<br/>[Postleitzahl und Ort]"
                "</p><p>Vertreten durch: [Vorstand bzw. Geschäftsführung]</p>",
            ),
            ("heading", "Kontakt"),
            ("paragraph", "<p>Telefon: [Telefonnummer]<br/>E-Mail: [E-Mail-Adresse]</p>"),
            ("heading", "Register und Umsatzsteuer"),
            (
                "paragraph",
                "<p>Registergericht und Registernummer: [Angabe]<br/>"
                "Umsatzsteuer-Identifikationsnummer nach § 27a UStG: [Angabe]</p>",
            ),
            ("heading", "Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV"),
            ("paragraph", "<p>[Name, Anschrift wie oben]</p>"),
            ("heading", "Projektpartner"),
            (
                "paragraph",
                "<p>Das Portal entsteht in Zusammenarbeit mit der Investitions- und "
                "Marketinggesellschaft Sachsen-Anhalt mbH (IMG) und dem Netzwerk "
                "Zukunftsorte.</p>",
            ),
            ("heading", "Bildnachweise"),
            (
                "paragraph",
                "<p>Der Bildnachweis steht direkt bei jedem Bild. Die Illustrationen der "
                "Demo-Inhalte wurden eigens für diese Installation erzeugt und stehen unter "
                "CC0.</p>",
            ),
            ("heading", "Demo-Inhalte"),
            (
                "paragraph",
                "<p>Alle Orte, Personen, Adressen, Telefonnummern, E-Mail-Adressen und "
                "Webadressen in dieser Demo sind frei erfunden. Ähnlichkeiten mit tatsächlichen "
                "Betrieben oder Personen sind nicht beabsichtigt. Die Städte und Gemeinden, in "
                "denen die Orte liegen, gibt es wirklich.</p>",
            ),
            ("heading", "Haftung für Links"),
            (
                "paragraph",
                "<p>Die Seiten der vorgestellten Orte enthalten Links zu Websites Dritter, auf "
                "deren Inhalte wir keinen Einfluss haben. Für diese Inhalte ist der jeweilige "
                "Anbieter verantwortlich. Werden uns Rechtsverstöße bekannt, entfernen wir die "
                "betreffenden Links umgehend.</p>",
            ),
        ),
    ),
    (
        "datenschutz",
        "Datenschutz",
        "<p>Der Schutz Ihrer Daten ist uns wichtig. Dieses Portal kommt ohne Tracking, ohne "
        "Werbe-Cookies und ohne nachgeladene Schriften oder Skripte von Drittanbietern aus. "
        "<b>[Demo-Fassung: Die Angaben zur verantwortlichen Stelle werden vor dem Start "
        "ergänzt.]</b></p>",
        (
            ("heading", "Verantwortliche Stelle"),
            (
                "paragraph",
                "<p>[Name und Anschrift des Betreibers, siehe {link:impressum:Impressum}]<br/>"
                "Datenschutzbeauftragte*r: [Name, E-Mail-Adresse]</p>",
            ),
            ("heading", "Kein Tracking, keine Cookies"),
            (
                "paragraph",
                "<p>Wir setzen keine Analyse- oder Trackingwerkzeuge ein. Beim Besuch der "
                "öffentlichen Seiten werden keine Cookies gesetzt. Nur wenn sich "
                "Redakteur*innen im geschützten Verwaltungsbereich anmelden, wird ein technisch "
                "notwendiges Sitzungs-Cookie verwendet.</p>",
            ),
            ("heading", "Server-Protokolle"),
            (
                "paragraph",
                "<p>Beim Aufruf einer Seite verarbeitet der Webserver technisch notwendige Daten "
                "wie IP-Adresse, Zeitpunkt, aufgerufene Adresse und Browserkennung, um die Seite "
                "auszuliefern und den sicheren Betrieb zu gewährleisten. Rechtsgrundlage ist "
                "Art. 6 Abs. 1 lit. f DSGVO. Die Protokolle werden nach spätestens [7] Tagen "
                "gelöscht.</p>",
            ),
            ("heading", "Karten erst nach Ihrer Zustimmung"),
            (
                "paragraph",
                "<p>Die Karten im Portal verwenden Kartenbilder eines externen Kartendienstes "
                "(OpenStreetMap). Damit dabei keine Daten ungefragt übertragen werden, zeigen "
                "wir zunächst nur einen Platzhalter (Zwei-Klick-Lösung). Erst wenn Sie auf "
                "<b>Karte laden</b> klicken, stellt Ihr Browser eine Verbindung zum "
                "Kartendienst her; dabei wird Ihre IP-Adresse an den Anbieter übertragen. Alle "
                "Orte finden Sie auch ohne Karte in der Liste der jeweiligen Region.</p>",
            ),
            ("heading", "Eingebettete Videos"),
            (
                "paragraph",
                "<p>Videos von Plattformen wie YouTube oder Vimeo werden ebenfalls erst "
                "geladen, wenn Sie dem ausdrücklich zustimmen. Vorher wird keine Verbindung zur "
                "Plattform aufgebaut.</p>",
            ),
            ("heading", "Kontakt und Vorschläge für neue Orte"),
            (
                "paragraph",
                "<p>Wenn Sie uns schreiben oder über das Formular „Ort vorschlagen“ "
                "(/mitmachen/) einen Ort vorschlagen, verarbeiten wir Ihre Angaben, um Ihren "
                "Vorschlag zu prüfen und den Ort darzustellen (Art. 6 Abs. 1 lit. a und b "
                "DSGVO). Wir speichern Ihre Einwilligung mit Datum und der Fassung dieser "
                "Erklärung, aber keine IP-Adresse. Ihre persönlichen Angaben (Name, E-Mail, "
                "Telefon, Fotos) zu abgelehnten oder übernommenen Vorschlägen löschen wir "
                "180 Tage nach der Entscheidung, zu Vorschlägen ohne Entscheidung spätestens "
                "ein Jahr nach der letzten Bearbeitung. Auf Wunsch erhalten Sie eine Auskunft über "
                "alle gespeicherten Angaben.</p>",
            ),
            ("heading", "Ihre Rechte"),
            (
                "paragraph",
                "<p>Sie haben das Recht auf</p><ul><li>Auskunft (Art. 15 DSGVO),</li>"
                "<li>Berichtigung (Art. 16 DSGVO),</li><li>Löschung (Art. 17 DSGVO),</li>"
                "<li>Einschränkung der Verarbeitung (Art. 18 DSGVO),</li>"
                "<li>Datenübertragbarkeit (Art. 20 DSGVO),</li>"
                "<li>Widerspruch gegen die Verarbeitung (Art. 21 DSGVO) und</li>"
                "<li>Widerruf einer Einwilligung mit Wirkung für die Zukunft (Art. 7 Abs. 3 "
                "DSGVO).</li></ul><p>Außerdem können Sie sich bei einer "
                "Datenschutz-Aufsichtsbehörde beschweren, zum Beispiel beim Landesbeauftragten "
                "für den Datenschutz Sachsen-Anhalt (Art. 77 DSGVO).</p>",
            ),
            ("paragraph", "<p><i>Stand: [Datum] – Demo-Fassung</i></p>"),
        ),
    ),
    (
        "barrierefreiheit",
        "Barrierefreiheit",
        "<p>Wir möchten, dass alle Menschen dieses Portal nutzen können. Diese Erklärung zur "
        "Barrierefreiheit gilt für das Portal <i>Kreativorte im Grünen</i>. "
        "<b>[Demo-Fassung]</b></p>",
        (
            ("heading", "Stand der Vereinbarkeit mit den Anforderungen"),
            (
                "paragraph",
                "<p>Der Betreiber ist bemüht, das Portal im Einklang mit der "
                "Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und den "
                "landesrechtlichen Vorschriften zur Umsetzung der Richtlinie (EU) 2016/2102 "
                "barrierefrei zugänglich zu machen. Maßstab ist die Norm EN 301 549 bzw. die "
                "WCAG 2.1 auf Konformitätsstufe AA.</p><p>Das Portal ist wegen der folgenden "
                "Ausnahmen <b>teilweise barrierefrei</b>.</p>",
            ),
            ("heading", "Nicht barrierefreie Inhalte"),
            (
                "paragraph",
                "<ul><li>Die interaktive Karte ist nicht vollständig mit Tastatur und "
                "Screenreader bedienbar. Alle Orte stehen deshalb zusätzlich als Liste mit "
                "denselben Angaben zur Verfügung.</li><li>Von den Orten bereitgestellte "
                "Dokumente (zum Beispiel PDF-Dateien) sind teilweise nicht barrierefrei.</li>"
                "<li>Eingebettete Videos Dritter haben nicht immer Untertitel oder "
                "Audiodeskription.</li></ul>",
            ),
            ("heading", "Erstellung dieser Erklärung"),
            (
                "paragraph",
                "<p>Diese Erklärung wurde am [Datum] erstellt. Sie beruht auf einer "
                "Selbstbewertung. [Vor dem Start: Ergebnis eines BITV-Tests ergänzen.]</p>",
            ),
            ("heading", "Barrieren melden"),
            (
                "paragraph",
                "<p>Ist Ihnen eine Barriere aufgefallen, oder benötigen Sie Inhalte in einer "
                "anderen Form? Schreiben Sie uns: [E-Mail-Adresse], Telefon: [Telefonnummer]. "
                "Wir antworten innerhalb von [zwei Wochen].</p>",
            ),
            ("heading", "Schlichtungsverfahren"),
            (
                "paragraph",
                "<p>Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende Antwort erhalten, "
                "können Sie sich an die zuständige Schlichtungs- bzw. Durchsetzungsstelle "
                "wenden: [Name und Kontaktdaten der zuständigen Stelle in Sachsen-Anhalt – vor "
                "dem Start ergänzen].</p>",
            ),
        ),
    ),
)
