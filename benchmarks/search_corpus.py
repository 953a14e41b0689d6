"""Articles to measure search against: the answers to the relevance set, its distractors,
and news-like articles made from templates.

``build_search_corpus(volume)`` adds, under the archive's categories
(``benchmarks.archive``), in Japanese and English:

- ``TARGETS``: hand-written stories, each the expected answer to some queries of
  ``benchmarks/search_relevance.json``, with the slug ``sc-<key>`` in both languages (the
  English one a translation: same translation key);
- ``DISTRACTORS``: stories that mention a query's word only in passing (in the body), or
  a word that looks like it (米価 next to 米国, 日本銀行 next to 日銀, 中国地方 next to
  中国): a search may find them, but they must not outrank the answers;
- ``volume`` articles per language made from templates (``news_text``): places, sectors,
  companies and figures substituted, so no two read alike; a share mention China or the
  United States in the body, as news does, and none names another query's word.

Everything goes in with the archive's bulk inserts, so nothing is indexed for search:
run ``update_index`` (or the backend's ``add_bulk``) afterwards.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from benchmarks.archive import add_articles, archive_parts


def _story(key, ja, en, days):
    """A story in both languages: ``ja`` and ``en`` are (title, summary, paragraphs)."""
    return {"key": key, "days": days, "ja": ja, "en": en}


TARGETS = [
    _story(
        "kz-election",
        (
            "カザフスタン大統領選、トカエフ氏が大差で再選",
            "カザフスタンの大統領選挙で、現職のトカエフ氏が約8割の票を得て再選された。",
            [
                "中央選挙管理委員会によると、投票率は約7割だった。トカエフ氏は選挙後の演説で、"
                "デジタル化と行政改革を続ける考えを示した。",
                "野党は選挙運動の制約を批判しており、国際監視団は報告書を近く公表する。",
            ],
        ),
        (
            "Kazakhstan's Tokayev re-elected by a wide margin",
            "President Tokayev was re-elected with about 80 per cent of the vote.",
            [
                "The central election commission put turnout at about 70 per cent. In a speech "
                "after the presidential election, Tokayev promised to press on with digitalisation "
                "and administrative reform.",
                "The opposition criticised limits on campaigning; international observers will "
                "publish their report shortly.",
            ],
        ),
        2,
    ),  # fmt: skip
    _story(
        "kz-uranium",
        (
            "カザフスタン、ウラン増産で欧州向け輸出を拡大",
            "世界最大のウラン生産国カザフスタンが増産に踏み切り、欧州の電力会社への供給を増やす。",
            [
                "国営企業は来年の生産目標を引き上げた。欧州の電力会社は調達先の分散を急いでいる。",
                "輸送はカスピ海を経由する南回りのルートが中心になる見通しだ。",
            ],
        ),
        (
            "Kazakhstan expands uranium exports to Europe",
            "The world's largest uranium producer is raising output and selling more to "
            "European utilities.",
            [
                "The state company has raised next year's production target. European utilities "
                "are hurrying to diversify their suppliers.",
                "Shipments are expected to go mainly by the southern route across the Caspian.",
            ],
        ),
        5,
    ),  # fmt: skip
    _story(
        "putin-tour",
        (
            "プーチン大統領、中央アジア歴訪へ　エネルギー協力を協議",
            "プーチン大統領が来週、中央アジア3か国を訪問し、ガスパイプラインの延伸などを協議する。",
            [
                "ロシア大統領府によると、首脳会談では送電網の連結も議題になる。",
                "各国は西側との関係にも配慮しつつ、エネルギー協力の拡大を探っている。",
            ],
        ),
        (
            "Putin to tour Central Asia for energy talks",
            "President Putin will visit three Central Asian countries next week to discuss "
            "extending gas pipelines.",
            [
                "The Kremlin said linking power grids would also be on the agenda.",
                "The countries are seeking wider energy cooperation while minding their ties with "
                "the West.",
            ],
        ),
        3,
    ),  # fmt: skip
    _story(
        "putin-ceasefire",
        (
            "プーチン氏、ウクライナ停戦案に条件　欧州は制裁継続を表明",
            "プーチン氏が停戦案の受け入れに条件を付け、欧州連合は制裁を続ける方針を示した。",
            [
                "条件には占領地の扱いが含まれるとされる。欧州連合の外相理事会は、"
                "追加の制裁措置についても協議した。",
                "停戦協議の次回日程は決まっていない。",
            ],
        ),
        (
            "Putin sets conditions on Ukraine ceasefire plan; Europe keeps sanctions",
            "Putin attached conditions to a ceasefire plan, and the European Union said its "
            "sanctions would stay.",
            [
                "The conditions are said to cover occupied territory. EU foreign ministers also "
                "discussed further sanctions.",
                "No date has been set for the next round of ceasefire talks.",
            ],
        ),
        4,
    ),  # fmt: skip
    _story(
        "boj-rate",
        (
            "日銀、政策金利を0.75%に引き上げ　約30年ぶりの水準",
            "日銀は金融政策決定会合で利上げを決め、政策金利を0.75%とした。",
            [
                "日銀の総裁は記者会見で、賃金と物価がともに上がる循環が続いていると説明した。",
                "市場では次の利上げの時期をめぐる観測が早くも出ている。",
            ],
        ),
        (
            "Bank of Japan raises its policy rate to 0.75%",
            "The Bank of Japan raised rates at its policy meeting, taking the policy rate to "
            "0.75%, the highest in about three decades.",
            [
                "The BOJ governor told reporters that a cycle of rising wages and prices was "
                "continuing.",
                "Markets are already speculating about the timing of the next rise.",
            ],
        ),
        1,
    ),  # fmt: skip
    _story(
        "boj-bonds",
        (
            "日銀の国債買い入れ減額、長期金利が上昇",
            "日銀が国債の買い入れを段階的に減らす計画を示し、長期金利が上昇した。",
            [
                "10年物国債の利回りは一時1.5%を超えた。日銀は市場の動きを注視するとしている。",
                "銀行や保険会社は保有する国債の入れ替えを検討している。",
            ],
        ),
        (
            "BOJ bond-buying taper lifts long-term yields",
            "The BOJ set out a plan to cut its government bond purchases step by step, and "
            "long-term yields rose.",
            [
                "The ten-year yield briefly topped 1.5%. The Bank of Japan said it would watch the "
                "market closely.",
                "Banks and insurers are reconsidering the bonds they hold.",
            ],
        ),
        6,
    ),  # fmt: skip
    _story(
        "china-rare-earths",
        (
            "中国、レアアースの輸出規制を強化",
            "中国商務省はレアアース関連技術と製品の輸出規制を強化すると発表した。",
            [
                "対象には磁石の製造技術も含まれる。日本や欧州の自動車部品メーカーは調達への影響を"
                "調べている。",
                "専門家は、代替の供給源を育てるには時間がかかると指摘する。",
            ],
        ),
        (
            "China tightens export controls on rare earths",
            "China's commerce ministry announced tighter export controls on rare-earth products "
            "and technology.",
            [
                "Magnet-making technology is covered too. Car-parts makers in Japan and Europe are "
                "assessing the impact on their purchasing.",
                "Experts say building alternative sources will take time.",
            ],
        ),
        2,
    ),  # fmt: skip
    _story(
        "china-electric-cars",
        (
            "中国の電気自動車、東南アジアで販売急増",
            "中国製の電気自動車がタイやインドネシアで販売を大きく伸ばしている。",
            [
                "価格の安さに加え、現地工場の稼働が販売を後押ししている。",
                "日本車のシェアは低下しており、各社は対抗策を急いでいる。",
            ],
        ),
        (
            "China's electric cars surge in South-East Asia",
            "Electric cars from China are selling fast in Thailand and Indonesia.",
            [
                "Low prices and new local factories are driving sales.",
                "Japanese brands are losing share and hurrying to respond.",
            ],
        ),
        7,
    ),  # fmt: skip
    _story(
        "us-steel-tariffs",
        (
            "米国、鉄鋼関税を50%に引き上げ",
            "米国政府は輸入鉄鋼にかける関税を25%から50%に引き上げると発表した。",
            [
                "関税の引き上げは来月発効する。日本の鉄鋼各社は対応を検討している。",
                "国内の自動車メーカーからは、部材価格の上昇を懸念する声が出ている。",
            ],
        ),
        (
            "United States raises steel tariffs to 50%",
            "The US government said it would double the tariff on imported steel from 25% to 50%.",
            [
                "The higher tariffs take effect next month. Japanese steelmakers are weighing "
                "their response.",
                "Domestic carmakers worry about rising material costs.",
            ],
        ),
        3,
    ),  # fmt: skip
    _story(
        "us-jobs",
        (
            "米国の雇用統計、非農業部門の就業者数が予想を下回る",
            "米国の5月の雇用統計で、非農業部門の就業者数の伸びが市場予想を下回った。",
            [
                "失業率は4.2%で横ばいだった。労働市場の減速が鮮明になりつつある。",
                "連邦準備制度理事会の利下げ観測が強まっている。",
            ],
        ),
        (
            "US jobs report falls short of forecasts",
            "Non-farm payrolls in the United States grew less than expected in May.",
            [
                "Unemployment held at 4.2%. The labour market is clearly slowing.",
                "Expectations of a Federal Reserve rate cut are growing.",
            ],
        ),
        8,
    ),  # fmt: skip
    _story(
        "cloud-server-outage",
        (
            "大手クラウドでサーバー障害、決済サービスが一時停止",
            "大手クラウド事業者のデータ拠点でサーバー障害が起き、複数の決済サービスが止まった。",
            [
                "障害は約3時間続いた。事業者は冷却設備の故障が原因だったと説明している。",
                "金融庁は決済事業者に報告を求めた。",
            ],
        ),
        (
            "Cloud server outage halts payment services",
            "A server outage at a major cloud provider stopped several payment services.",
            [
                "The outage lasted about three hours; the provider blamed a failed cooling system "
                "in which servers overheated.",
                "The financial regulator has asked payment firms for reports.",
            ],
        ),
        1,
    ),  # fmt: skip
    _story(
        "domestic-servers",
        (
            "政府、国産サーバの調達を拡大",
            "政府は行政システムで使うサーバを国内で製造されたものに切り替える方針を決めた。",
            [
                "調達の基準には、部品の供給元の開示が加わる。",
                "国内メーカーは生産能力の増強を検討している。",
            ],
        ),
        (
            "Government expands procurement of domestic servers",
            "The government will switch the servers behind its administrative systems to "
            "domestically made ones.",
            [
                "Procurement rules will require suppliers to disclose where parts come from.",
                "Domestic manufacturers are considering adding capacity.",
            ],
        ),
        9,
    ),  # fmt: skip
    _story(
        "quantum-computers",
        (
            "量子コンピューター、創薬研究での実用化へ前進",
            "国内の研究チームが量子コンピューターを使い、新薬候補の分子の性質を高い精度で計算した。",
            [
                "従来の計算機では数か月かかる計算を数日で終えたという。",
                "製薬会社との共同研究が来年から始まる。",
            ],
        ),
        (
            "Quantum computers move closer to use in drug discovery",
            "A Japanese research team used a quantum computer to calculate the properties of "
            "candidate drug molecules with high accuracy.",
            [
                "A calculation that takes months on conventional machines took days, the team "
                "said.",
                "Joint research with drugmakers starts next year.",
            ],
        ),
        4,
    ),  # fmt: skip
    _story(
        "school-computers",
        (
            "小中学校のコンピュータ更新、自治体の負担重く",
            "児童生徒に1人1台配られたコンピュータの更新時期を迎え、自治体の費用負担が課題になっている。",
            [
                "国の補助は端末1台あたり5万5千円にとどまる。",
                "保護者に一部負担を求める自治体も出てきた。",
            ],
        ),
        (
            "Replacing school computers weighs on municipalities",
            "The computers handed to every pupil are due for replacement, and local governments "
            "are struggling with the cost.",
            [
                "National support is capped at 55,000 yen per device.",
                "Some municipalities are asking parents to pay part of it.",
            ],
        ),
        10,
    ),  # fmt: skip
    _story(
        "ai-cancer-screening",
        (
            "AI分析で早期がん発見、地方病院が導入",
            "内視鏡の画像をAI分析にかける仕組みを、地方の病院が相次いで導入している。",
            [
                "見落としがちな小さな病変を医師に知らせる。",
                "導入した病院では、早期に見つかる例が増えたという。",
            ],
        ),
        (
            "AI analysis helps rural hospitals spot early cancer",
            "Rural hospitals are adopting systems that run endoscope images through AI analysis.",
            [
                "The system flags small lesions that doctors can miss.",
                "Hospitals using it report more cancers caught early.",
            ],
        ),
        5,
    ),  # fmt: skip
    _story(
        "ai-regulation-bill",
        (
            "ＡＩ規制法案、国会で審議入り",
            "生成ＡＩの開発事業者に安全性の評価を義務づける法案が、国会で審議入りした。",
            [
                "法案は、重大な事故が起きた場合の報告義務も定める。",
                "経済団体は過度な規制を避けるよう求めている。",
            ],
        ),
        (
            "AI regulation bill goes before parliament",
            "A bill requiring developers of generative AI to assess safety has gone before the "
            "Diet.",
            [
                "The bill also requires serious incidents to be reported.",
                "Business groups are urging lawmakers to avoid excessive regulation.",
            ],
        ),
        6,
    ),  # fmt: skip
    _story(
        "chipmakers-kumamoto",
        (
            "半導体メーカー各社、熊本に新工場",
            "台湾や国内の半導体メーカーが熊本県で新工場の建設を進めている。",
            [
                "工場の周辺では住宅や道路の整備が追いついていない。",
                "地下水への影響を調べる調査も始まった。",
            ],
        ),
        (
            "Chipmakers build new plants in Kumamoto",
            "Taiwanese and Japanese chipmakers are building new factories in Kumamoto prefecture.",
            [
                "Housing and roads near the plants have not kept up.",
                "A study of the effect on groundwater has begun.",
            ],
        ),
        7,
    ),  # fmt: skip
    _story(
        "chip-subsidies",
        (
            "政府、半導体工場への補助金を追加",
            "政府は先端半導体の量産工場に対する補助金を追加で支給すると決めた。",
            [
                "補助金の総額は1兆円を超える。",
                "財政負担に見合う効果があるのか、国会では検証を求める声も上がった。",
            ],
        ),
        (
            "Government adds subsidies for semiconductor plants",
            "The government will pay additional subsidies to factories mass-producing advanced "
            "semiconductors.",
            [
                "Total support exceeds one trillion yen.",
                "Some lawmakers asked whether the spending is worth the cost.",
            ],
        ),
        11,
    ),  # fmt: skip
    _story(
        "sony-sensors",
        (
            "ソニー、画像センサー事業の分社化を検討",
            "ソニーグループが画像センサー事業を分社化し、上場させる案を検討している。",
            [
                "センサー事業はスマートフォン向けが中心だ。",
                "分社化によって設備投資の資金を集めやすくする狙いがある。",
            ],
        ),
        (
            "Sony weighs spinning off its image sensor business",
            "Sony Group is considering spinning off and listing its image sensor business.",
            [
                "The sensor business mainly serves smartphone makers.",
                "A spin-off would make it easier to raise money for investment.",
            ],
        ),
        12,
    ),  # fmt: skip
    _story(
        "nvidia-chip",
        (
            "エヌビディア、AI向けの新型チップを発表",
            "米エヌビディアは、生成AIの学習に使う新型チップを発表した。",
            ["新型は従来品より電力効率が高いという。", "大手クラウド各社が採用を表明している。"],
        ),
        (
            "Nvidia unveils a new AI chip",
            "Nvidia has unveiled a new chip for training generative AI.",
            [
                "The company says it is more power-efficient than its predecessor.",
                "Major cloud providers have said they will use it.",
            ],
        ),
        2,
    ),  # fmt: skip
    _story(
        "greenland",
        (
            "トランプ大統領、グリーンランド取得に再び言及",
            "トランプ大統領がデンマーク領グリーンランドの取得に再び意欲を示した。",
            [
                "デンマーク政府は売却の可能性を否定した。",
                "北極圏の資源と航路をめぐる関心が背景にある。",
            ],
        ),
        (
            "Trump again raises acquiring Greenland",
            "President Trump has again said he wants to acquire Greenland, a Danish territory.",
            [
                "Denmark's government ruled out a sale.",
                "Interest in Arctic resources and shipping routes lies behind it.",
            ],
        ),
        13,
    ),  # fmt: skip
    _story(
        "india-state-elections",
        (
            "インド州議会選挙、与党が過半数を維持",
            "インドの州議会選挙で与党が過半数を維持した。",
            [
                "与党は農村部で票を伸ばした。",
                "野党は失業対策の遅れを訴えたが、支持は広がらなかった。",
            ],
        ),
        (
            "India's ruling party keeps its majority in state elections",
            "India's ruling party held its majority in state assembly elections.",
            [
                "It gained votes in rural areas.",
                "The opposition campaigned on slow progress on jobs but failed to widen its "
                "support.",
            ],
        ),
        14,
    ),  # fmt: skip
    _story(
        "weak-yen",
        (
            "円安進行、1ドル160円台に",
            "外国為替市場で円安が進み、1ドル160円台をつけた。",
            [
                "輸入物価の上昇を通じて家計の負担が増える。",
                "財務省は市場の動向を注視していると述べた。",
            ],
        ),
        (
            "Yen weakens past 160 to the dollar",
            "The yen weakened past 160 to the dollar on the foreign exchange market.",
            [
                "Import prices will rise, adding to households' costs.",
                "The finance ministry said it was watching the market closely.",
            ],
        ),
        3,
    ),  # fmt: skip
    _story(
        "rice-prices",
        (
            "コメ価格の高騰続く、政府が備蓄米を追加放出",
            "コメ価格の高騰が続き、政府は備蓄米を追加で放出すると決めた。",
            [
                "店頭の米価は前年の約2倍になった。",
                "農家からは生産費の上昇を価格に反映したいとの声も出ている。",
            ],
        ),
        (
            "Rice prices keep climbing; government releases more reserves",
            "With rice prices still rising, the government will release more of its reserve "
            "stocks.",
            [
                "Shop prices are about double last year's.",
                "Farmers want prices to reflect higher production costs.",
            ],
        ),
        4,
    ),  # fmt: skip
    _story(
        "hiroshima-rain",
        (
            "広島・岡山で記録的大雨、土砂災害の危険高まる",
            "広島県と岡山県で記録的な大雨となり、気象台が警戒を呼びかけている。",
            [
                "中国地方では24時間の雨量が平年の7月1か月分を超えた地点がある。",
                "鉄道の運転見合わせが続いている。",
            ],
        ),
        (
            "Record rain in Hiroshima and Okayama raises landslide risk",
            "Record rainfall hit Hiroshima and Okayama prefectures, and forecasters urged caution.",
            [
                "In parts of the Chugoku region, 24-hour rainfall exceeded a normal July.",
                "Train services remain suspended.",
            ],
        ),
        1,
    ),  # fmt: skip
    _story(
        "black-sea-grain",
        (
            "ウクライナ産穀物の輸出回廊、黒海で再開",
            "ウクライナ産の小麦やトウモロコシを運ぶ黒海の輸出回廊が再開した。",
            ["最初の貨物船はオデーサ港を出港した。", "穀物価格は再開の報を受けて下落した。"],
        ),
        (
            "Ukraine's Black Sea grain corridor reopens",
            "The Black Sea corridor carrying wheat and maize from Ukraine has reopened.",
            ["The first cargo ship has left Odesa.", "Grain prices fell on the news."],
        ),
        5,
    ),  # fmt: skip
    _story(
        "apple-india",
        (
            "アップル、インドでのiPhone生産を拡大",
            "アップルはインドでのiPhone生産を増やし、輸出拠点とする計画だ。",
            [
                "委託先の工場では新たに数万人を雇用する。",
                "生産拠点の分散を進める動きの一環とみられる。",
            ],
        ),
        (
            "Apple expands iPhone production in India",
            "Apple plans to make more iPhones in India and export them from there.",
            [
                "Its contract manufacturers will hire tens of thousands more workers.",
                "The move is part of a wider shift to spread production.",
            ],
        ),
        6,
    ),  # fmt: skip
    _story(
        "data-centre-power",
        (
            "データセンターの電力需要、2030年に倍増の見通し",
            "国内のデータセンターの電力需要が2030年までに倍増するとの試算がまとまった。",
            ["生成AIの普及が需要を押し上げる。", "電力会社は発電所と送電網の増強を迫られる。"],
        ),
        (
            "Data centre power demand set to double by 2030",
            "Electricity demand from data centres in Japan is expected to double by 2030.",
            [
                "The spread of generative AI is driving demand.",
                "Power companies will need more generation and grid capacity.",
            ],
        ),
        8,
    ),  # fmt: skip
]

DISTRACTORS = [
    _story(
        "mongolia-coal",
        (
            "モンゴル、石炭の輸出量が過去最高",
            "モンゴルの石炭輸出が鉄道の輸送力増強で過去最高を記録した。",
            [
                "輸出先の多様化も進み、隣国カザフスタンとの物流協定も結ばれた。"
                "プーチン政権下のロシアとの鉄道網の接続も検討されている。"
            ],
        ),
        (
            "Mongolia's coal exports hit a record",
            "Mongolia's coal exports reached a record as rail capacity grew.",
            [
                "It also signed a logistics pact with neighbouring Kazakhstan, and linking its "
                "railways with Putin's Russia is under study."
            ],
        ),
        9,
    ),  # fmt: skip
    _story(
        "new-banknotes",
        (
            "新紙幣の流通、自販機の対応進む",
            "新しい紙幣が出回り、自動販売機や券売機の改修が進んでいる。",
            [
                "日本銀行によると、新紙幣の発行枚数は計画どおりに推移している。"
                "改修費用の負担は中小の事業者に重い。"
            ],
        ),
        (
            "Vending machines adapt to the new banknotes",
            "As the new banknotes circulate, vending and ticket machines are being upgraded.",
            [
                "Issuance is on schedule, according to the Bank of Japan. The cost of upgrades "
                "weighs on small businesses."
            ],
        ),
        10,
    ),  # fmt: skip
    _story(
        "car-parts-shortage",
        (
            "自動車大手、部品不足で国内工場の稼働を停止",
            "部品の調達が滞り、自動車大手が国内の複数の工場で生産を止めた。",
            [
                "停止の原因は制御用の半導体の不足とみられる。ソフトウェアを動かす"
                "サーバーの点検も重なった。"
            ],
        ),
        (
            "Carmaker halts domestic plants over parts shortage",
            "A parts shortage has forced a major carmaker to stop production at several plants.",
            [
                "A shortage of control semiconductors is thought to be the cause, and checks on "
                "its servers added to the delay."
            ],
        ),
        11,
    ),  # fmt: skip
    _story(
        "alliance-bank",
        (
            "地銀連合、システムを共同化",
            "地方銀行5行が勘定系システムの共同化で合意した。",
            ["共同化によって運営費を3割減らす。国内の地銀で同様の提携が広がる。"],
        ),
        (
            "Regional banks form an alliance to share systems",
            "Five regional banks agreed to share their core banking systems.",
            [
                "Sharing is expected to cut running costs by 30%. Similar tie-ups are spreading "
                "among regional lenders."
            ],
        ),
        12,
    ),  # fmt: skip
    _story(
        "film-festival",
        (
            "映画祭、アジア作品の上映が過去最多",
            "国際映画祭でアジアからの出品作の上映数が過去最多になった。",
            [
                "コンピューターグラフィックスを多用した作品も目立った。"
                "中国や米国の配給会社も買い付けに訪れた。"
            ],
        ),
        (
            "Film festival screens a record number of Asian films",
            "An international film festival screened more Asian films than ever.",
            [
                "Many leaned heavily on computer graphics. Distributors from China and the United "
                "States came to buy."
            ],
        ),
        13,
    ),  # fmt: skip
]

# Templates for the volume articles: {place}, {sector}, {company}, {pct}, {month}, {year}.
NEWS = {
    "ja": {
        "places": ["ブラジル", "インドネシア", "ベトナム", "トルコ", "メキシコ", "南アフリカ",
                   "ポーランド", "チリ", "ケニア", "フィリピン", "タイ", "エジプト"],
        "sectors": ["鉄道", "造船", "観光", "農業", "漁業", "医薬品", "物流", "小売",
                    "通信", "鉱業", "建設", "保険"],
        "companies": ["北辰精機", "東和ロジスティクス", "青葉製薬", "潮見造船", "朝霧通信",
                      "白樺リテール", "千歳建設", "若葉損保"],
        "titles": [
            "{place}の{sector}、{month}月の売上高が前年比{pct}%増",
            "{company}、{place}で{sector}事業を拡大",
            "{place}政府、{sector}分野の規制を見直しへ",
            "{company}の四半期決算、純利益{pct}%減",
            "{place}で{sector}労働者がストライキ",
            "{place}中央銀行、政策金利を据え置き",
            "{company}、{sector}部門の売却を発表",
            "{place}の{sector}投資、{year}年は過去最高に",
        ],
        "summaries": [
            "{place}の{sector}をめぐる最新の動きをまとめた。",
            "{company}の発表によると、影響は{year}年まで続く見通しだ。",
            "市場関係者は{sector}の先行きを慎重にみている。",
        ],
        "sentences": [
            "{place}では{year}年以降、{sector}への投資が伸びている。",
            "アナリストは{sector}需要の回復が続くとみている。",
            "{company}は現地の雇用を{pct}%増やす計画だ。",
            "同国の{sector}は国内総生産の約{pct}%を占める。",
            "労働組合は賃金の引き上げを求めている。",
            "政府は{month}月にも新たな支援策をまとめる。",
            "為替の変動が業績に影響した。",
            "業界では再編の動きが広がっている。",
        ],
        "common": ["中国との取引も増えている。", "米国向けの出荷は横ばいだった。"],
    },
    "en": {
        "places": ["Brazil", "Indonesia", "Vietnam", "Turkey", "Mexico", "South Africa",
                   "Poland", "Chile", "Kenya", "Peru", "Thailand", "Egypt"],
        "sectors": ["rail", "shipbuilding", "tourism", "farming", "fisheries",
                    "pharmaceuticals", "logistics", "retail", "telecoms", "mining",
                    "construction", "insurance"],
        "companies": ["Hokushin Seiki", "Towa Logistics", "Aoba Pharma", "Shiomi Shipbuilding",
                      "Asagiri Telecom", "Shirakaba Retail", "Chitose Construction",
                      "Wakaba Insurance"],
        "titles": [
            "{place}'s {sector} sales up {pct}% in month {month}",
            "{company} expands {sector} business in {place}",
            "{place} to review {sector} rules",
            "{company} quarterly profit down {pct}%",
            "{sector} workers strike in {place}",
            "{place}'s central bank holds rates",
            "{company} to sell its {sector} unit",
            "{place}'s {sector} spending hits a record in {year}",
        ],
        "summaries": [
            "The latest on {sector} in {place}.",
            "{company} says the effects will last until {year}.",
            "Market watchers are cautious about {sector}.",
        ],
        "sentences": [
            "Spending on {sector} in {place} has grown since {year}.",
            "Analysts expect demand for {sector} to keep recovering.",
            "{company} plans to raise local hiring by {pct}%.",
            "{sector} accounts for about {pct}% of the country's output.",
            "Unions are demanding higher wages.",
            "The government will draw up new support measures in month {month}.",
            "Currency swings weighed on results.",
            "Consolidation is spreading across the industry.",
        ],
        "common": ["Trade with China is also growing.",
                   "Shipments to the United States were flat."],
    },
}  # fmt: skip


def news_text(language, index, rng):
    """Title, summary and paragraphs of the volume article ``index`` (its choices seeded
    by the index, so an article reads the same in both languages)."""
    words = NEWS[language]
    pick = random.Random(index)
    slots = {
        "place": pick.choice(words["places"]),
        "sector": pick.choice(words["sectors"]),
        "company": pick.choice(words["companies"]),
        "pct": pick.randint(2, 40),
        "month": pick.randint(1, 12),
        "year": pick.randint(2019, 2026),
    }
    title = pick.choice(words["titles"]).format(**slots)
    summary = pick.choice(words["summaries"]).format(**slots)
    sentences = [s.format(**slots) for s in pick.sample(words["sentences"], 5)]
    if index % 4 == 0:  # a quarter mention China or the United States, in the body only
        sentences.insert(2, words["common"][index // 4 % 2])
    joiner = "" if language == "ja" else " "
    title = title[0].upper() + title[1:]
    return {
        "title": title,
        "summary": summary,
        "paragraphs": [joiner.join(sentences[:3]), joiner.join(sentences[3:])],
    }


def corpus_texts(volume=0):
    """Every text the corpus is made of, without building it: ``{language: {slug: text}}``
    for the demo's stories, the targets, the distractors and ``volume`` template articles
    (the tests check the relevance set against these)."""
    from home.demo.content import STORIES

    texts = {"ja": {}, "en": {}}
    for story in STORIES:
        for language in ("ja", "en"):
            parts = [story["title"][language], story["summary"][language], *story["tags"]]
            parts += _strings(story["body"], language)
            texts[language][story["slug"]] = "\n".join(parts)
    for story in TARGETS + DISTRACTORS:
        for language in ("ja", "en"):
            title, summary, paragraphs = story[language]
            texts[language][f"sc-{story['key']}"] = "\n".join([title, summary, *paragraphs])
    for index in range(volume):
        for language in ("ja", "en"):
            text = news_text(language, index, None)
            texts[language][f"news-{index}"] = "\n".join(
                [text["title"], text["summary"], *text["paragraphs"]]
            )
    return texts


def _strings(node, language):
    """The ``language`` strings of a demo story's body (nested {"ja": ..., "en": ...})."""
    if isinstance(node, dict):
        if isinstance(node.get(language), str):
            return [node[language]]
        return [s for value in node.values() for s in _strings(value, language)]
    if isinstance(node, list | tuple):
        return [s for value in node for s in _strings(value, language)]
    return []


@transaction.atomic
def build_search_corpus(volume=100, *, seed=0):
    """Add the targets, the distractors and ``volume`` template articles, each in ja and
    en (translations of each other), under the archive's categories. Return
    ``{language: {slug: id}}`` for what was added."""
    rng = random.Random(seed)
    now = timezone.now()
    parts = archive_parts(categories=3, image_pool=6)
    common = {"images": parts["images"], "author": parts["author"], "tags": parts["tags"]}
    specs = []
    for story in TARGETS + DISTRACTORS:
        published = now - datetime.timedelta(days=story["days"], minutes=rng.randint(0, 600))
        specs.append(
            {
                language: {
                    "slug": f"sc-{story['key']}",
                    "title": story[language][0],
                    "summary": story[language][1],
                    "paragraphs": list(story[language][2]),
                    "published": published,
                }
                for language in ("ja", "en")
            }
        )
    for index in range(volume):
        published = now - datetime.timedelta(days=rng.randint(0, 400), minutes=rng.randint(0, 900))
        specs.append(
            {
                language: {"slug": f"news-{index}", "published": published,
                           **news_text(language, index, rng)}
                for language in ("ja", "en")
            }
        )  # fmt: skip
    added = {"ja": {}, "en": {}}
    categories = parts["categories"]
    # Spread over the categories: the stories at i, i+3, i+6 ... in category i.
    for c in range(len(categories["ja"])):
        share = specs[c :: len(categories["ja"])]
        ja_specs = [s["ja"] for s in share]
        ja_ids = add_articles(categories["ja"][c], parts["locales"]["ja"], ja_specs,
                              rng=rng, **common)  # fmt: skip
        keys = dict(Page.objects.filter(pk__in=ja_ids).values_list("pk", "translation_key"))
        en_ids = add_articles(categories["en"][c], parts["locales"]["en"],
                              [s["en"] for s in share], keys=[keys[i] for i in ja_ids],
                              rng=rng, **common)  # fmt: skip
        for spec, ja_id, en_id in zip(share, ja_ids, en_ids, strict=True):
            added["ja"][spec["ja"]["slug"]] = ja_id
            added["en"][spec["en"]["slug"]] = en_id
    return added
