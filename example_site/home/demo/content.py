"""Demo content for Prism News (pure data, no Django imports).

Every human-readable text is a {"ja": ..., "en": ...} dict. Japanese is the
original; English is a faithful translation. Japanese strings are unique so
they can serve as keys in a ja -> en lookup (the only repeated pair is the
shared image credit, which always maps to the same English text).
"""

GENERATED_IMAGE_CREDIT = {"ja": "Prism News（生成画像）", "en": "Prism News (generated image)"}

SITE = {
    "home_title": {
        "ja": "Prism News｜AIが読み解く世界のニュース",
        "en": "Prism News | World news, read through AI",
    },
    "home_intro": {
        "ja": "Prism Newsは、世界の報道機関が伝えたニュースをAIが要約・分析し、編集者が内容を確認してお届けする多言語ニュースサイトです。分析の元になった記事は、各ページに出典として明記しています。",
        "en": "Prism News is a multilingual news site where AI summarises and analyses reporting from news organisations around the world, and editors check the content before it is published. Each page clearly credits the original article on which the analysis is based.",
    },
}

AUTHOR = {
    "name": {"ja": "佐伯 真理", "en": "Mari Saeki"},
    # The author page's address, /authors/mari-saeki/, in every language.
    "slug": "mari-saeki",
    "role": {"ja": "編集長", "en": "Chief Editor"},
    "bio": {
        "ja": "国際報道の現場で20年近く経験を積んだ編集者。Prism Newsでは、AIによる分析の検証と編集方針の策定を統括している。",
        "en": "An editor with nearly 20 years of experience in international reporting. At Prism News, she oversees the verification of AI analysis and the setting of editorial policy.",
    },
}

CATEGORIES = [
    {
        "key": "politics",
        "slug": "politics",
        "title": {"ja": "政治", "en": "Politics"},
        "intro": {
            "ja": "国際政治や各国の政策をめぐる報道を、AIが要約・分析し、編集部が確認してお届けします。",
            "en": "Reporting on international politics and national policies, summarised and analysed by AI and checked by our editors.",
        },
    },
    {
        "key": "economy",
        "slug": "economy",
        "title": {"ja": "経済", "en": "Economy"},
        "intro": {
            "ja": "市場、資源、産業をめぐる報道を、AIによる分析と編集部の確認を経てお届けします。",
            "en": "Reporting on markets, resources and industry, delivered after AI analysis and editorial review.",
        },
    },
]

DISCLAIMER = {
    "slug": "ai-content-policy",
    "kind": "ai",
    "title": {"ja": "AIコンテンツポリシー", "en": "AI Content Policy"},
    "short_text": {
        "ja": "このコンテンツは、元記事をもとにAIが要約・分析したものです。正確性に努めていますが、誤りが含まれる可能性があります。元記事もあわせてご確認ください。",
        "en": "This content was summarised and analysed by AI from the original article. We aim for accuracy, but errors are possible; please check the original.",
    },
    "body": [
        (
            "paragraph",
            {
                "ja": "Prism Newsでは、国内外の報道機関が公開した記事をもとに、AIが要約と分析を行っています。AIが生成した文章をそのまま公開することはなく、必ず編集者が元記事と照らし合わせて確認します。このページでは、AIの使い方と、内容の正確性を確保するための取り組みについて説明します。",
                "en": "At Prism News, AI summarises and analyses articles published by news organisations in Japan and abroad. We never publish AI-generated text as it is: an editor always checks it against the original article. This page explains how we use AI and what we do to ensure the accuracy of our content.",
            },
        ),
        ("heading", {"level": 2, "text": {"ja": "AIの使い方", "en": "How we use AI"}}),
        (
            "list",
            {
                "style": "bulleted",
                "items": [
                    {
                        "ja": "AIが元記事の要点を整理し、要約を作成します。",
                        "en": "AI organises the key points of the original article and drafts a summary.",
                    },
                    {
                        "ja": "AIが背景や論点を整理した分析の下書きを作成します。",
                        "en": "AI drafts an analysis that sets out the background and the main issues.",
                    },
                    {
                        "ja": "AIが日本語と英語の間の翻訳を補助します。",
                        "en": "AI assists with translation between Japanese and English.",
                    },
                ],
            },
        ),
        (
            "paragraph",
            {
                "ja": "公開前には、編集者が事実関係、固有名詞、数字、引用の扱いを元記事と照合します。元記事に書かれていない推測を事実として扱わないこと、発言を捏造しないことを原則としています。各記事には出典となった元記事の媒体名と公開日を明記し、AIの関与の度合いと使用したモデルも表示しています。",
                "en": "Before publication, an editor checks facts, proper names, figures and the handling of quotations against the original article. Our principles are never to present speculation that is not in the original article as fact, and never to fabricate statements. Each article names the outlet and publication date of its source article, and also shows the degree of AI involvement and the model used.",
            },
        ),
        (
            "paragraph",
            {
                "ja": "誤りが判明した場合は、速やかに記事を訂正し、訂正した日付と内容を記事内に明記します。誤りや不適切な表現にお気づきの際は、編集部までお知らせください。",
                "en": "If an error comes to light, we promptly correct the article and state the date and nature of the correction within it. If you notice an error or inappropriate wording, please let our editorial team know.",
            },
        ),
    ],
}

STORIES = [
    # ------------------------------------------------------------------ 1
    {
        "key": "pax-silica",
        "slug": "pax-silica-eurasia",
        "category": "politics",
        "ai_involvement": "analysis",
        "ai_model": "gpt-4.1",
        "published_at": "2026-01-22T09:00:00+09:00",
        "tags": ["Pax Silica", "Kazakhstan", "Semiconductors", "US-China", "AI"],
        "title": {
            "ja": "「パックス・シリカ」と中国の超重力施設、その狭間で存在感を高めるカザフスタン",
            "en": "Between 'Pax Silica' and China's hypergravity facility, Kazakhstan raises its profile",
        },
        "summary": {
            "ja": "米国主導の「パックス・シリカ」が中国抜きの供給網づくりを進め、中国は世界最強とされる超重力施設で応じる。その狭間で、AIを掲げるカザフスタンはユーラシアのデジタルハブを目指す。",
            "en": "The US-led 'Pax Silica' alliance is building supply chains without China, while Beijing answers with what is said to be the world's most powerful hypergravity facility. In between, AI-minded Kazakhstan aims to become Eurasia's digital hub.",
        },
        "source": {
            "title": "Report on the US-led Pax Silica tech alliance, China's hypergravity facility and Kazakhstan's digital ambitions",
            "publisher": "The Diplomat",
            "url": "https://thediplomat.com/",
            "language": "en",
            "published_at": "2026-01-20",
        },
        "image": {
            "motif": "network",
            "alt": {
                "ja": "イラスト：濃紺のグラデーションを背景に、光る点が線で結ばれたネットワーク",
                "en": "Illustration: glowing nodes connected by lines over a dark blue gradient",
            },
            "caption": {
                "ja": "技術同盟による供給網のつながりをイメージしたイラスト",
                "en": "An illustration evoking the supply-chain links of a technology alliance",
            },
            "credit": GENERATED_IMAGE_CREDIT,
        },
        "body": [
            (
                "paragraph",
                {
                    "ja": "人工知能（AI）と半導体をめぐる主導権争いが、同盟という形をとり始めている。外交専門誌ザ・ディプロマットの報道によれば、米国は信頼できるパートナー国とともに技術同盟「パックス・シリカ」を打ち出し、レアアースからデータセンターまで、中国に依存しない供給網の構築を目指している。一方の中国は、材料科学の分野で世界最強とされる超重力研究施設を前面に押し出し、独自の技術基盤を誇示している。本稿では報道の内容を整理したうえで、米中の狭間で独自の立ち位置を探るカザフスタンの戦略を分析する。",
                    "en": "The contest for leadership in artificial intelligence (AI) and semiconductors is beginning to take the form of alliances. According to a report in the foreign-affairs magazine The Diplomat, the United States has launched a technology alliance called 'Pax Silica' with trusted partner countries, aiming to build supply chains that do not depend on China, from rare earths to data centres. China, for its part, is putting forward a hypergravity research facility said to be the world's most powerful in materials science, as a show of its own technological base. This article summarises the report and then analyses the strategy of Kazakhstan, which is seeking a position of its own between the US and China.",
                },
            ),
            (
                "heading",
                {
                    "level": 2,
                    "text": {"ja": "「パックス・シリカ」とは何か", "en": "What is 'Pax Silica'?"},
                },
            ),
            (
                "paragraph",
                {
                    "ja": "報道によると、パックス・シリカは米国が主導し、AIと半導体を中核に据えた技術同盟である。参加国として名前が挙がっているのは、日本、韓国、オーストラリア、英国、イスラエル、アラブ首長国連邦（UAE）で、いずれも先端技術の開発や製造、投資で重要な役割を担う国々だ。さらにインドが2026年2月に加わる見通しとされ、実現すれば豊富な技術人材と巨大な市場を抱える国が枠組みに入ることになる。米国にとっては、同盟国の技術力と資金を束ねることで、一国では賄いきれない投資負担を分かち合う狙いもあるとみられる。名称からは、半導体の素材であるシリコンを軸に新たな国際秩序を築こうとする意図がうかがえる。",
                    "en": "According to the report, Pax Silica is a US-led technology alliance built around AI and semiconductors. The countries named as members are Japan, South Korea, Australia, the United Kingdom, Israel and the United Arab Emirates (UAE), all of which play important roles in the development, manufacture or financing of advanced technology. India is expected to join in February 2026; if it does, a country with abundant technical talent and a huge market will enter the framework. For the United States, the aim also appears to be to share an investment burden too large for any single country by pooling allies' technological capabilities and funds. The name suggests an ambition to build a new international order around silicon, the base material of semiconductors.",
                },
            ),
            (
                "paragraph",
                {
                    "ja": "同盟の狙いは、半導体やAIを支える供給網を、上流から下流まで「信頼できる国々」の間で完結させることにある。対象はレアアースなどの鉱物資源から、製造装置、チップの生産、さらには膨大な計算資源を収容するデータセンターにまで及ぶという。背景には、重要鉱物の精製や電子部品の生産で中国が大きなシェアを握っており、輸出規制が外交上の圧力手段として使われかねないという懸念がある。経済効率よりも安全保障を優先する発想が、供給網の設計思想そのものを変えつつあると言えるだろう。",
                    "en": "The alliance aims to keep the supply chains that underpin semiconductors and AI, from upstream to downstream, within a circle of 'trusted countries'. According to the report, its scope extends from mineral resources such as rare earths to manufacturing equipment, chip production and even the data centres that house enormous computing resources. Behind this lies the concern that China holds large shares of critical-mineral refining and electronic-component production, and that export controls could be used as a tool of diplomatic pressure. It is fair to say that putting security ahead of economic efficiency is changing the very design philosophy of supply chains.",
                },
            ),
            (
                "paragraph",
                {
                    "ja": "これに対し中国は、材料科学向けとしては世界で最も強力とされる超重力研究施設を打ち出している。巨大な遠心力によって地球の重力の何倍もの環境を人工的につくり出し、極限条件のもとで材料がどう振る舞うかを調べる施設で、報道は航空宇宙、極超音速技術、エネルギー分野への応用を挙げている。遠心力を使うこうした実験装置は、地盤や構造物の挙動を縮小模型で再現する研究などにも用いられてきた。同盟による包囲に対して、基礎研究の設備と国内の技術力で自立を図ろうとする姿勢の表れと読める。ただし、施設の性能が実際の産業競争力にどこまで結びつくかは、今後の研究成果を見極める必要がある。",
                    "en": "China, in response, is promoting a hypergravity research facility said to be the most powerful in the world for materials science. Such a facility uses enormous centrifugal force to artificially create conditions many times stronger than Earth's gravity, in order to study how materials behave under extreme conditions; the report cites applications in aerospace, hypersonic technology and energy. Centrifuge-based facilities of this kind have also been used in research such as reproducing the behaviour of ground and structures with scale models. It can be read as a sign that China intends to achieve self-reliance through basic-research facilities and domestic technological capability in the face of encirclement by the alliance. How far the facility's performance will translate into real industrial competitiveness, however, remains to be judged from its future research results.",
                },
            ),
            (
                "heading",
                {
                    "level": 2,
                    "text": {
                        "ja": "カザフスタンが描く「ユーラシアのデジタルハブ」",
                        "en": "Kazakhstan's vision of a 'Eurasian digital hub'",
                    },
                },
            ),
            (
                "paragraph",
                {
                    "ja": "米中の技術ブロック化が進むなかで、独自の存在感を高めようとしているのがカザフスタンだ。トカエフ大統領は2026年を「デジタル化とAIの年」と宣言し、国を挙げてデジタル分野に力を注ぐ姿勢を鮮明にした。報道によれば、同国はユーラシアのデジタルハブとしての地位を目指しており、その強みとして、豊富なレアメタル資源、大規模な計算クラスターの整備、そして特定の陣営に偏らない多方位の技術外交を掲げている。計算クラスターの整備には、国内のAI開発を支えるだけでなく、周辺国の計算需要を取り込む狙いもあるとみられる。資源の輸出国から、技術が行き交う結節点への転換を図る構想である。",
                    "en": "As technology blocs form around the US and China, Kazakhstan is trying to raise its own profile. President Tokayev has declared 2026 the 'Year of Digitalisation and AI', making clear that the whole country will put its energy into the digital sector. According to the report, Kazakhstan aims to become Eurasia's digital hub, citing as its strengths abundant rare-metal resources, the build-out of large-scale computing clusters and a multi-vector technology diplomacy that does not lean towards any one camp. The build-out of computing clusters appears aimed not only at supporting domestic AI development but also at capturing computing demand from neighbouring countries. It is a plan to transform the country from a resource exporter into a junction through which technology flows.",
                },
            ),
            (
                "paragraph",
                {
                    "ja": "多方位外交は、カザフスタンが独立以来とってきた伝統的な路線でもある。ロシアと中国という二つの大国と国境や経済で深く結びつきながら、米国や欧州、湾岸諸国とも関係を築いてきた。中国と欧州を結ぶ陸路の中継地という地理的な条件も、同国の交渉力を支えている。報道によると、トカエフ大統領とトランプ大統領の電話会談では、現職の米大統領として初めてとなる中央アジア訪問の可能性も話題に上ったという。実現すれば、資源と地理的な位置に恵まれた中央アジアが、米国の技術・資源戦略の中で改めて重視されていることを象徴する出来事になるだろう。",
                    "en": "Multi-vector diplomacy has also been Kazakhstan's traditional course since independence. While deeply tied to two great powers, Russia and China, through shared borders and economic links, it has also built relations with the United States, Europe and the Gulf states. Its geography as a transit point on overland routes linking China and Europe also underpins its bargaining power. According to the report, a telephone call between President Tokayev and President Trump even touched on the possibility of the first visit to Central Asia by a sitting US president. If it happens, it would symbolise how Central Asia, blessed with resources and a strategic location, is once again being given weight in US technology and resource strategy.",
                },
            ),
            (
                "key_points",
                {
                    "title": {
                        "ja": "要点：技術同盟とユーラシアの新たな構図",
                        "en": "Key points: the tech alliance and Eurasia's new landscape",
                    },
                    "points": [
                        {
                            "ja": "米国主導の「パックス・シリカ」は、日本、韓国、豪州、英国、イスラエル、UAEとともに、AI・半導体の供給網を中国抜きで築くことを目指す。",
                            "en": "The US-led 'Pax Silica' aims to build AI and semiconductor supply chains without China, together with Japan, South Korea, Australia, the UK, Israel and the UAE.",
                        },
                        {
                            "ja": "インドは2026年2月に参加する見通しとされる。",
                            "en": "India is expected to join in February 2026.",
                        },
                        {
                            "ja": "中国は材料科学向けで世界最強とされる超重力研究施設を打ち出し、航空宇宙や極超音速、エネルギー分野での応用を見込む。",
                            "en": "China is promoting a hypergravity research facility said to be the world's most powerful for materials science, with applications expected in aerospace, hypersonics and energy.",
                        },
                        {
                            "ja": "カザフスタンは2026年を「デジタル化とAIの年」とし、レアメタル、計算資源、多方位外交を武器にデジタルハブを目指す。",
                            "en": "Kazakhstan has made 2026 its 'Year of Digitalisation and AI' and aims to become a digital hub, drawing on rare metals, computing resources and multi-vector diplomacy.",
                        },
                    ],
                },
            ),
            (
                "paragraph",
                {
                    "ja": "もっとも、カザフスタンの構想には課題も多い。米国主導の枠組みに接近しすぎれば、経済的な結びつきの強いロシアや中国との関係に緊張を生みかねない。大規模な計算クラスターの運用には安定した電力と冷却、高度な技術人材が欠かせず、レアメタルの開発にも長期の投資が必要だ。技術同盟が「信頼できる国」の範囲をどう定めるかによって、中間に立つ国々の選択肢は広がりもすれば狭まりもする。日本にとっても、同盟の一員として供給網の再編にどう関わるかが問われる。トランプ大統領の訪問が実現するかどうかとあわせて、今後の動きを注視したい。",
                    "en": "Kazakhstan's vision nonetheless faces many challenges. Moving too close to a US-led framework could create tension in its relations with Russia and China, with which it has strong economic ties. Running large computing clusters requires stable power, cooling and highly skilled technical staff, and developing rare metals also demands long-term investment. Depending on how the technology alliance defines the scope of 'trusted countries', the options open to countries in the middle may widen or narrow. For Japan, too, the question is how it will take part in reshaping supply chains as a member of the alliance. Together with whether President Trump's visit materialises, these developments deserve close attention.",
                },
            ),
        ],
    },
    # ------------------------------------------------------------------ 2
    {
        "key": "mokyr-science",
        "slug": "mokyr-science-race",
        "category": "politics",
        "ai_involvement": "analysis",
        "ai_model": "gpt-4.1",
        "published_at": "2026-02-03T08:30:00+09:00",
        "tags": ["United States", "US-China", "Science Policy", "Nobel Prize"],
        "title": {
            "ja": "ノーベル賞経済学者モキイア氏、米国の研究予算削減に警鐘　科学で中国に追い抜かれる恐れ",
            "en": "Nobel economist Mokyr warns US research cuts risk letting China overtake it in science",
        },
        "summary": {
            "ja": "2025年のノーベル経済学賞を受賞したジョエル・モキイア氏が、米国の研究予算削減と大学への圧力は、中国が科学で米国を追い抜く好機を与えかねないと警告した。",
            "en": "Joel Mokyr, winner of the 2025 Nobel Prize in economics, has warned that US research-budget cuts and pressure on universities could give China an opening to overtake the United States in science.",
        },
        "source": {
            "title": "Report on Nobel laureate Joel Mokyr's warning over US research cuts and China's scientific rise",
            "publisher": "Financial Times",
            "url": "https://www.ft.com/",
            "language": "en",
            "published_at": "2026-02-02",
        },
        "image": {
            "motif": "university",
            "alt": {
                "ja": "イラスト：淡い青空を背景に、列柱と三角形の破風を持つ古典様式の建物",
                "en": "Illustration: a classical building with columns and a triangular pediment against a pale blue sky",
            },
            "caption": {
                "ja": "大学と研究の基盤をイメージしたイラスト",
                "en": "An illustration evoking universities and the foundations of research",
            },
            "credit": GENERATED_IMAGE_CREDIT,
        },
        "body": [
            (
                "paragraph",
                {
                    "ja": "経済成長の歴史を研究し、2025年のノーベル経済学賞を受賞した経済史家ジョエル・モキイア氏が、米国の科学政策に強い懸念を示している。英フィナンシャル・タイムズの報道によれば、同氏は、連邦政府による研究予算の削減や大学への圧力が続けば、中国が科学の分野で米国を追い抜く機会を得かねないと警告した。成長の源泉を長年論じてきた研究者の発言だけに、その指摘には重みがある。",
                    "en": "Joel Mokyr, an economic historian who studies the history of economic growth and won the 2025 Nobel Prize in economics, has voiced strong concern about US science policy. According to a report in the Financial Times, he warned that if cuts to federal research budgets and pressure on universities continue, China could gain the chance to overtake the United States in science. Coming from a researcher who has long written about the sources of growth, his warning carries weight.",
                },
            ),
            (
                "heading",
                {
                    "level": 2,
                    "text": {
                        "ja": "成長の源泉としての「知識」",
                        "en": "Knowledge as the source of growth",
                    },
                },
            ),
            (
                "paragraph",
                {
                    "ja": "モキイア氏の研究は、産業革命以降の持続的な経済成長が、個々の技術そのものよりも、科学的な知識の蓄積と、それを実用に結びつける営みによって支えられてきたことを示してきた。アイデアが自由に交換され、批判と検証を経て改良されていく開かれた環境こそが、技術進歩を途切れさせない条件だという考え方である。ノーベル賞の授賞理由も、技術進歩を通じた持続的成長の前提条件を明らかにした点にあった。",
                    "en": "Mokyr's research has shown that sustained economic growth since the Industrial Revolution has been supported less by individual technologies themselves than by the accumulation of scientific knowledge and the work of putting it to practical use. The idea is that an open environment, in which ideas are exchanged freely and improved through criticism and testing, is the condition that keeps technological progress from stalling. The Nobel Prize, too, was awarded for identifying the prerequisites for sustained growth through technological progress.",
                },
            ),
            (
                "heading",
                {
                    "level": 2,
                    "text": {"ja": "問われる米国の選択", "en": "America's choices under scrutiny"},
                },
            ),
            (
                "paragraph",
                {
                    "ja": "この視点から見れば、研究予算の削減は単なる歳出の問題にとどまらない。報道によると、モキイア氏は、大学や研究機関への資金が細り、学問の自由への圧力が強まれば、優れた研究者や留学生が米国を離れ、知識を生み出す仕組みそのものが弱まることを懸念している。戦後の米国の科学的な優位は、連邦政府による手厚い研究支援と、世界中から人材を引きつけてきた大学の力によって築かれてきた面が大きい。報道が伝える主な懸念は次のとおりだ。",
                    "en": "Seen from this perspective, cutting research budgets is not merely a matter of spending. According to the report, Mokyr fears that if funding for universities and research institutions dries up and pressure on academic freedom grows, outstanding researchers and international students will leave the United States, weakening the very system that generates knowledge. America's scientific lead since the Second World War has been built largely on generous federal research support and on universities that have attracted talent from all over the world. The main concerns conveyed by the report are as follows.",
                },
            ),
            (
                "list",
                {
                    "style": "bulleted",
                    "items": [
                        {
                            "ja": "連邦政府の研究予算削減による基礎研究の停滞",
                            "en": "Stagnation in basic research caused by federal research-budget cuts",
                        },
                        {
                            "ja": "大学への圧力と学問の自由の後退",
                            "en": "Pressure on universities and the erosion of academic freedom",
                        },
                        {
                            "ja": "研究者や留学生の国外への流出",
                            "en": "An outflow of researchers and international students",
                        },
                        {
                            "ja": "科学分野における中国の追い上げの加速",
                            "en": "China catching up faster in science",
                        },
                    ],
                },
            ),
            (
                "paragraph",
                {
                    "ja": "一方の中国は、研究開発への投資を着実に拡大し、論文数や特許出願といった指標で存在感を高めてきた。国家主導の資金配分は、特定の分野に資源を集中させるうえで強みを発揮する。自由な知識の交換という観点では中国の体制にも制約があるとの見方は根強いが、米国が自らの強みを損なえば、両国の差は縮まりかねない。競争の行方は、中国の伸びだけでなく、米国自身の選択にも左右されるということだ。",
                    "en": "China, meanwhile, has steadily expanded its investment in research and development and has raised its profile on measures such as the number of scientific papers and patent applications. State-directed allocation of funds is a strength when it comes to concentrating resources on particular fields. Many still believe China's system has its own limits when it comes to the free exchange of knowledge, but if the United States undermines its own strengths, the gap between the two countries could narrow. In other words, the outcome of the competition depends not only on China's rise but also on America's own choices.",
                },
            ),
            (
                "paragraph",
                {
                    "ja": "研究予算をめぐる議論は、財政規律や政府の役割をめぐる政治的な対立とも結びついており、単純な結論は出しにくい。それでも、科学の成果が経済成長に結びつくまでには長い時間がかかり、いったん失われた研究基盤や人材を取り戻すのは容易ではない。目先の歳出削減と長期的な競争力のどちらを重くみるのか。ノーベル賞経済学者の警告は、その問いを改めて突きつけている。",
                    "en": "The debate over research budgets is bound up with political divisions over fiscal discipline and the role of government, so simple conclusions are hard to reach. Even so, it takes a long time for scientific results to feed into economic growth, and research infrastructure and talent, once lost, are not easily regained. Which should weigh more: short-term spending cuts or long-term competitiveness? The Nobel economist's warning puts that question squarely on the table once again.",
                },
            ),
        ],
    },
    # ------------------------------------------------------------------ 3
    {
        "key": "ice-budget",
        "slug": "ice-budget-expansion",
        "category": "politics",
        "ai_involvement": "analysis",
        "ai_model": "gpt-4.1",
        "published_at": "2026-01-30T10:00:00+09:00",
        "tags": ["United States", "Immigration", "Federal Budget", "ICE"],
        "title": {
            "ja": "米2026年予算でICE予算が大幅増、かつての約100億ドルを大きく上回る規模に",
            "en": "US 2026 budget sharply boosts ICE funding, far above its former level of about $10 billion",
        },
        "summary": {
            "ja": "米国の2026年予算で、移民・関税執行局（ICE）の予算が、かつての約100億ドルの水準を大きく上回る規模に拡大した。移民取り締まり強化の方針が、予算面でも鮮明になっている。",
            "en": "The 2026 US budget expands funding for Immigration and Customs Enforcement (ICE) far beyond its former level of about $10 billion, making the drive for tougher immigration enforcement clear in budgetary terms as well.",
        },
        "source": {
            "title": "Report on the expansion of ICE funding in the 2026 US budget",
            "publisher": "AP",
            "url": "https://apnews.com/",
            "language": "en",
            "published_at": "2026-01-29",
        },
        "image": {
            "motif": "budget",
            "alt": {
                "ja": "イラスト：淡い灰青色の背景に、右へ行くほど高くなる棒グラフ。右端のこはく色の棒が突出して高く、上昇をなぞる赤い矢印が添えられている",
                "en": "Illustration: a bar chart on a pale grey-blue background whose bars rise towards the right, with a far taller amber bar at the right end and a red arrow tracing the rise",
            },
            "caption": {
                "ja": "予算の急増をイメージしたイラスト",
                "en": "An illustration evoking a sharp budget increase",
            },
            "credit": GENERATED_IMAGE_CREDIT,
        },
        "body": [
            (
                "paragraph",
                {
                    "ja": "トランプ政権が掲げる移民取り締まりの強化が、予算の数字にはっきりと表れている。AP通信の報道によれば、米国の2026年予算では、移民・関税執行局（ICE）に配分される資金が、かつての約100億ドルという水準を大きく上回る規模に膨らんだ。国内の移民執行を担う一つの機関の予算としては異例の伸びであり、その使い道と監督のあり方をめぐって議論が広がっている。",
                    "en": "The Trump administration's push for tougher immigration enforcement is clearly reflected in the budget figures. According to a report by the Associated Press, the 2026 US budget has swollen the funds allocated to Immigration and Customs Enforcement (ICE) far beyond their former level of about $10 billion. It is an unusual increase for the budget of a single agency responsible for immigration enforcement inside the country, and debate is spreading over how the money will be used and overseen.",
                },
            ),
            (
                "heading",
                {
                    "level": 2,
                    "text": {"ja": "ICEとはどのような機関か", "en": "What kind of agency is ICE?"},
                },
            ),
            (
                "paragraph",
                {
                    "ja": "ICEは国土安全保障省の傘下にあり、国内での不法滞在者の摘発や収容、国外退去の執行に加え、密輸や人身取引などの捜査も担っている。国境での入国管理を担当する税関・国境警備局（CBP）とは役割が異なり、すでに国内にいる人々への対応が中心となる。そのため、ICEの予算規模は、政権が国内でどれだけ積極的に摘発や送還を進めようとしているかを示す指標とも言える。",
                    "en": "ICE sits within the Department of Homeland Security and, in addition to arresting and detaining people who are in the country unlawfully and carrying out deportations, it investigates crimes such as smuggling and human trafficking. Its role differs from that of Customs and Border Protection (CBP), which handles entry controls at the border; ICE deals mainly with people who are already inside the country. ICE's budget can therefore be seen as an indicator of how aggressively an administration intends to pursue arrests and removals at home.",
                },
            ),
            (
                "paragraph",
                {
                    "ja": "増額分が具体的にどう使われるかは今後の執行状況を見る必要があるが、一般的には、収容能力の拡大、職員の採用と訓練、送還に関わる輸送や手続きなどが中心になるとみられる。予算が短期間で大きく膨らめば、施設の確保や人員の育成が支出のペースに追いつくのかという実務上の課題も生じる。予算拡大をめぐって、主に次のような論点が挙がっている。",
                    "en": "How the additional money will actually be spent remains to be seen as it is put to use, but in general it is expected to go mainly to expanding detention capacity, hiring and training staff, and the transport and procedures involved in deportations. When a budget balloons over a short period, practical questions also arise, such as whether securing facilities and training personnel can keep pace with spending. The main issues raised over the budget expansion include the following.",
                },
            ),
            (
                "list",
                {
                    "style": "bulleted",
                    "items": [
                        {
                            "ja": "収容能力の拡大と収容環境の監視",
                            "en": "Expanding detention capacity and monitoring detention conditions",
                        },
                        {
                            "ja": "急速な増員に伴う職員の訓練と質の確保",
                            "en": "Training and maintaining standards amid rapid hiring",
                        },
                        {
                            "ja": "議会による監督と支出の透明性",
                            "en": "Congressional oversight and transparency of spending",
                        },
                        {
                            "ja": "移民の労働力に頼る産業や地域経済への影響",
                            "en": "The impact on industries and local economies that rely on immigrant labour",
                        },
                    ],
                },
            ),
            (
                "heading",
                {
                    "level": 2,
                    "text": {
                        "ja": "支持と懸念に割れる評価",
                        "en": "A verdict divided between support and concern",
                    },
                },
            ),
            (
                "paragraph",
                {
                    "ja": "政権や支持者は、予算の拡大を、国境管理と法の執行を立て直すための当然の措置と位置づけている。不法滞在の問題に厳しく対処することが、治安の維持や法制度への信頼回復につながるという主張だ。一方で、人権団体や一部の議員からは、急速な拡大が適正手続きの軽視や収容環境の悪化を招くのではないかという懸念が示されている。評価は党派によって大きく分かれている。",
                    "en": "The administration and its supporters present the budget increase as a natural step to restore border control and law enforcement. Their argument is that dealing firmly with unlawful residence helps maintain public safety and restore trust in the legal system. Human-rights groups and some lawmakers, on the other hand, have voiced concern that such rapid expansion could lead to disregard for due process and worsening detention conditions. Opinion is sharply divided along party lines.",
                },
            ),
            (
                "paragraph",
                {
                    "ja": "予算の規模は、政策の優先順位を映す鏡である。ICE予算の大幅な拡大は、移民政策を安全保障と法執行の観点から捉える政権の姿勢を改めて示した。今後は、巨額の資金が実際にどのように使われ、その効果と副作用がどのように検証されるのかが焦点となる。議会による監督や司法の判断、そして地域社会への影響を、丁寧に追っていく必要がある。",
                    "en": "The size of a budget is a mirror of policy priorities. The sharp increase in ICE's budget has once again shown the administration's approach of viewing immigration policy through the lens of security and law enforcement. The focus from here will be on how the vast sums are actually spent, and how their effects and side effects are assessed. Congressional oversight, court rulings and the impact on local communities all need to be followed carefully.",
                },
            ),
        ],
    },
    # ------------------------------------------------------------------ 4
    {
        "key": "venezuela-tanker",
        "slug": "seventh-venezuela-tanker-seized",
        "category": "politics",
        "ai_involvement": "analysis",
        "ai_model": "gpt-4.1",
        "published_at": "2026-01-21T11:00:00+09:00",
        "tags": ["United States", "Venezuela", "Oil", "Sanctions"],
        "title": {
            "ja": "米南方軍、ベネズエラ関連の石油タンカー7隻目を拿捕",
            "en": "US Southern Command seizes a seventh Venezuela-linked oil tanker",
        },
        "summary": {
            "ja": "米南方軍は2026年1月20日、ベネズエラに関連する7隻目の石油タンカーを拿捕した。マドゥロ氏の拘束後も、米国はベネズエラ産原油の流れへの圧力を緩めていない。",
            "en": "On 20 January 2026, US Southern Command seized a seventh oil tanker linked to Venezuela. Even after Maduro's detention, Washington has not eased its pressure on the flow of Venezuelan crude.",
        },
        "source": {
            "title": "Report on US Southern Command's seizure of a seventh Venezuela-linked oil tanker",
            "publisher": "Reuters",
            "url": "https://www.reuters.com/",
            "language": "en",
            "published_at": "2026-01-20",
        },
        "image": {
            "motif": "tanker",
            "alt": {
                "ja": "イラスト：夕暮れのオレンジ色の空の下、暗い海に浮かぶ大型石油タンカーと小型の警備艇のシルエット",
                "en": "Illustration: silhouettes of a large oil tanker and a smaller patrol boat on a dark sea under an orange dusk sky",
            },
            "caption": {
                "ja": "海上での原油輸送をイメージしたイラスト",
                "en": "An illustration evoking crude oil shipments at sea",
            },
            "credit": GENERATED_IMAGE_CREDIT,
        },
        "body": [
            (
                "paragraph",
                {
                    "ja": "米国によるベネズエラ産原油への締め付けが続いている。ロイター通信の報道によれば、中南米・カリブ海地域を管轄する米南方軍は2026年1月20日、ベネズエラに関連する石油タンカーを拿捕した。一連の措置で拿捕されたタンカーは、これで7隻目となる。1月にマドゥロ氏が拘束されて以降も、米国が海上での原油輸送に対する圧力を維持していることを示す動きだ。",
                    "en": "The United States is keeping up its squeeze on Venezuelan crude. According to a Reuters report, US Southern Command, which is responsible for Latin America and the Caribbean, seized a Venezuela-linked oil tanker on 20 January 2026. It is the seventh tanker seized in the series of actions. The move shows that the United States has maintained its pressure on seaborne crude shipments even after Maduro's detention in January.",
                },
            ),
            (
                "heading",
                {
                    "level": 2,
                    "text": {"ja": "相次ぐ拿捕の背景", "en": "Behind the string of seizures"},
                },
            ),
            (
                "paragraph",
                {
                    "ja": "ベネズエラの原油輸出は、長年にわたり米国の制裁によって大きく制約されてきた。そうしたなかで、船籍や船主を頻繁に変えたり、船舶の位置情報の発信を止めたりして監視を逃れる、いわゆる「影の船団」が輸送の一部を担ってきたとされる。米国がタンカーの拿捕にまで踏み込むのは、制裁の抜け道をふさぎ、原油の売却収入が意図しない相手に流れるのを防ぐ狙いがあるとみられる。",
                    "en": "Venezuela's crude exports have been heavily constrained by US sanctions for many years. Against this backdrop, a so-called 'shadow fleet', which evades monitoring by frequently changing flags and owners or by switching off ships' location signals, is said to have handled part of the trade. The United States is thought to be going as far as seizing tankers in order to close sanctions loopholes and to stop oil-sale revenue from flowing to unintended recipients.",
                },
            ),
            (
                "paragraph",
                {
                    "ja": "7隻という数は、拿捕が一時的な措置ではなく、継続的な方針として運用されていることをうかがわせる。海運業界にとっては、ベネズエラに関連する積み荷を扱うことの法的・実務的なリスクが一段と高まったことを意味する。船主や保険会社、荷主は、取引相手や航路の確認をこれまで以上に厳格に行うよう迫られるだろう。拿捕された船舶や積み荷の扱いが、今後の法的手続きで争われる可能性もある。",
                    "en": "The tally of seven suggests that the seizures are not a one-off measure but are being carried out as an ongoing policy. For the shipping industry, it means the legal and practical risks of handling Venezuela-linked cargo have risen further. Shipowners, insurers and cargo owners will be pressed to check their counterparties and routes more rigorously than ever. How the seized vessels and cargoes are dealt with may also be contested in future legal proceedings.",
                },
            ),
            (
                "key_points",
                {
                    "title": {
                        "ja": "要点：7隻目のタンカー拿捕",
                        "en": "Key points: the seventh tanker seizure",
                    },
                    "points": [
                        {
                            "ja": "米南方軍が2026年1月20日にベネズエラ関連の石油タンカーを拿捕し、拿捕は計7隻となった。",
                            "en": "US Southern Command seized a Venezuela-linked oil tanker on 20 January 2026, bringing the total seized to seven.",
                        },
                        {
                            "ja": "1月のマドゥロ氏拘束の後も、海上輸送への米国の圧力は続いている。",
                            "en": "US pressure on seaborne shipments has continued since Maduro's detention in January.",
                        },
                        {
                            "ja": "制裁を逃れる「影の船団」への対応が焦点とされる。",
                            "en": "Tackling the 'shadow fleet' that evades sanctions is seen as the focus.",
                        },
                    ],
                },
            ),
            (
                "heading",
                {
                    "level": 2,
                    "text": {
                        "ja": "原油市場と今後の政策",
                        "en": "The oil market and the policy outlook",
                    },
                },
            ),
            (
                "paragraph",
                {
                    "ja": "国際原油市場全体から見れば、個別のタンカー拿捕が価格に与える影響は限定的とみられる。ただし、ベネズエラ産の重質原油を前提に設備を整えてきた製油所にとっては、調達先の選択に影響しうる。より大きな焦点は、マドゥロ氏拘束後のベネズエラで、石油部門の管理や輸出の枠組みがどう再編されるかにある。拿捕の継続は、米国がその過程で強い影響力を保とうとしていることの表れとも読める。",
                    "en": "Seen from the perspective of the global crude market as a whole, the impact of individual tanker seizures on prices is likely to be limited. For refineries configured to process Venezuela's heavy crude, however, it could affect their choice of suppliers. The bigger question is how the management of the oil sector and the framework for exports will be reorganised in Venezuela after Maduro's detention. The continuing seizures can also be read as a sign that the United States intends to retain strong influence over that process.",
                },
            ),
        ],
    },
    # ------------------------------------------------------------------ 5
    {
        "key": "venezuela-oil",
        "slug": "venezuela-oil-investment",
        "category": "economy",
        "ai_involvement": "analysis",
        "ai_model": "gpt-4.1",
        "published_at": "2026-02-10T09:30:00+09:00",
        "tags": ["Venezuela", "Oil", "Investment", "Sanctions"],
        "title": {
            "ja": "マドゥロ氏拘束後のベネズエラ、「投資不適格」の烙印を返上できるか",
            "en": "After Maduro's detention, can Venezuela shed its 'uninvestable' label?",
        },
        "summary": {
            "ja": "世界最大の石油埋蔵量を持つベネズエラは、2026年1月のマドゥロ氏拘束を経て、長年の「投資不適格」という評価を覆せるのか。期待と残る課題を整理する。",
            "en": "Venezuela holds the world's largest oil reserves. After Maduro's detention in January 2026, can it overturn its long-standing 'uninvestable' reputation? We look at the hopes and the remaining hurdles.",
        },
        "source": {
            "title": "Analysis of whether Venezuela's oil sector can attract investment after Maduro's detention",
            "publisher": "Bloomberg",
            "url": "https://www.bloomberg.com/",
            "language": "en",
            "published_at": "2026-02-09",
        },
        "image": {
            "motif": "oil",
            "alt": {
                "ja": "イラスト：紫からオレンジへと移る夕焼けと低い太陽を背景にした、2基の原油くみ上げポンプ（ポンプジャック）のシルエット",
                "en": "Illustration: silhouettes of two oil pumpjacks against a purple-to-orange sunset with a low sun",
            },
            "caption": {
                "ja": "油田開発をイメージしたイラスト",
                "en": "An illustration evoking oilfield development",
            },
            "credit": GENERATED_IMAGE_CREDIT,
        },
        "body": [
            (
                "paragraph",
                {
                    "ja": "ベネズエラは、確認されている石油埋蔵量で世界最大とされる国だ。にもかかわらず、長年にわたって国際的な投資家からは「投資不適格」とみなされてきた。ブルームバーグの報道は、2026年1月にマドゥロ氏が拘束されたことで、この評価が変わりうるのかという問いを投げかけている。政治の転換が、豊富な資源の潜在力を実際の投資と生産の回復に結びつけられるかが焦点だ。",
                    "en": "Venezuela is said to have the world's largest proven oil reserves. Despite this, international investors have for years regarded it as 'uninvestable'. A Bloomberg report raises the question of whether that verdict could change now that Maduro was detained in January 2026. The key question is whether political change can turn the potential of its abundant resources into real investment and a recovery in production.",
                },
            ),
            (
                "heading",
                {
                    "level": 2,
                    "text": {
                        "ja": "なぜ「投資不適格」とされてきたのか",
                        "en": "Why Venezuela has been seen as 'uninvestable'",
                    },
                },
            ),
            (
                "paragraph",
                {
                    "ja": "背景には複数の要因が重なっている。2000年代には石油事業の国有化が進み、外国企業の資産が接収された経緯があり、国際仲裁で争われた案件も少なくない。国営石油会社の経営悪化と設備の老朽化により、生産量はかつての水準から大きく落ち込んだ。さらに米国の制裁や対外債務の不履行が重なり、資金を投じても回収できるかどうかが見通せない状況が続いてきた。",
                    "en": "Several factors lie behind this. In the 2000s the oil industry was increasingly nationalised and foreign companies' assets were expropriated, and quite a few of those cases were fought out in international arbitration. Mismanagement at the state oil company and ageing equipment caused output to fall far below its former levels. On top of that came US sanctions and defaults on foreign debt, leaving investors unable to tell whether money put in could ever be recovered.",
                },
            ),
            (
                "paragraph",
                {
                    "ja": "政治体制の転換は、外国企業が再び参入する契機になりうる。埋蔵量の多くを占めるオリノコ地帯の超重質油は、開発に高い技術と多額の資本を要するため、国際石油会社の参加なしに生産を大きく伸ばすのは難しい。その意味で、外国資本を呼び込めるかどうかは、ベネズエラの石油産業の再生そのものを左右する。ただし、投資家は政治の変化だけで判断するわけではない。見極めようとしている主な条件は、次のようなものだ。",
                    "en": "A change of political regime could give foreign companies an opportunity to return. The extra-heavy crude of the Orinoco Belt, which accounts for much of the reserves, requires advanced technology and large amounts of capital to develop, so it is hard to raise output substantially without the participation of international oil companies. In that sense, whether Venezuela can attract foreign capital will determine whether its oil industry can be revived at all. Investors, however, do not judge by political change alone. The main conditions they are trying to assess are the following.",
                },
            ),
            (
                "list",
                {
                    "style": "bulleted",
                    "items": [
                        {
                            "ja": "契約と財産権を守る法的枠組みの整備",
                            "en": "A legal framework that protects contracts and property rights",
                        },
                        {
                            "ja": "制裁の緩和・解除の範囲と時期",
                            "en": "The scope and timing of any easing or lifting of sanctions",
                        },
                        {
                            "ja": "既存の債務や過去の接収をめぐる請求の扱い",
                            "en": "How existing debts and claims over past expropriations are handled",
                        },
                        {
                            "ja": "老朽化した油田や精製設備の改修にかかる費用",
                            "en": "The cost of refurbishing ageing oilfields and refining facilities",
                        },
                        {
                            "ja": "政治的な安定と治安の確保",
                            "en": "Political stability and public security",
                        },
                    ],
                },
            ),
            (
                "heading",
                {
                    "level": 2,
                    "text": {
                        "ja": "残る課題と回復までの時間軸",
                        "en": "Remaining hurdles and the timeline to recovery",
                    },
                },
            ),
            (
                "paragraph",
                {
                    "ja": "仮に条件が整ったとしても、生産の回復には時間がかかる。油田の再開発やインフラの修復には数年単位の取り組みが必要で、熟練した技術者の多くはすでに国外に流出しているとされる。原油価格の動向や、世界的なエネルギー転換の進み具合も、長期の投資判断に影響する。「投資不適格」の烙印を返上できるかどうかは、一時的な政治の変化ではなく、ルールが持続的に守られるという信頼を築けるかにかかっている。",
                    "en": "Even if the conditions are met, restoring production will take time. Redeveloping oilfields and repairing infrastructure will require efforts measured in years, and many skilled engineers are said to have already left the country. Trends in oil prices and the pace of the global energy transition will also affect long-term investment decisions. Whether Venezuela can shed its 'uninvestable' label depends not on a temporary political shift but on whether it can build confidence that the rules will be upheld over the long term.",
                },
            ),
        ],
    },
]
