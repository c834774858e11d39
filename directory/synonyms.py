"""Everyday words for each need, in the site's ten languages, so people find services with the words
they use rather than the directory's labels ("somewhere to sleep", not "housing and homelessness").

Each need's words are indexed with every service in that need; the translated need names come from
the interface catalogues as well (search.py). Write words as people type them, accents and all (they
are folded). Each word is also stemmed for its language (search.STEMMERS), so "lekarz" meets
"lekarza"; Bengali has no stemmer, so list its common forms. Chinese is indexed and searched in
overlapping pairs of characters, so a longer phrase still finds its words.
"""

SYNONYMS: dict[str, dict[str, str]] = {
    "sexual-health": {
        "en": "sti std sexual health hiv test testing prep pep clinic doctor nurse gp contraception condoms pill "
        "pregnancy abortion checkup",
        "pt": "ist dst saúde sexual hiv teste exame prep pep clínica médico médica enfermeira camisinha "
        "preservativo anticoncepcional pílula gravidez aborto",
        "ro": "its bts sănătate sexuală hiv test teste analize prep pep clinică doctor medic asistentă "
        "prezervativ prezervative contracepție anticoncepționale sarcină avort",
        "bg": "пип венерически сексуално здраве хив тест изследване клиника лекар доктор сестра презерватив "
        "презервативи контрацепция бременност аборт",
        "zh": "性病 性健康 艾滋病 检测 测试 诊所 医生 护士 安全套 避孕套 避孕 怀孕 堕胎 体检",
        "es": "its ets salud sexual vih test prueba pruebas prep pep clínica médico médica doctor enfermera "
        "condón condones preservativo anticonceptivo píldora embarazo aborto",
        "pl": "choroby weneryczne zdrowie seksualne hiv test testy badanie badania prep pep klinika przychodnia "
        "lekarz lekarka pielęgniarka prezerwatywy antykoncepcja ciąża aborcja",
        "hu": "nemi betegség szexuális egészség hiv teszt tesztelés vizsgálat prep pep klinika rendelő orvos "
        "ápoló óvszer fogamzásgátlás terhesség abortusz",
        "bn": "যৌনরোগ যৌন স্বাস্থ্য এইচআইভি পরীক্ষা ক্লিনিক ডাক্তার নার্স কনডম জন্মনিয়ন্ত্রণ গর্ভধারণ গর্ভপাত",
        "ar": "الأمراض المنقولة جنسيا الصحة الجنسية فحص اختبار الإيدز عيادة طبيب طبيبة ممرضة واقي منع الحمل حمل إجهاض",
    },
    "sexual-violence": {
        "en": "rape raped sexual assault assaulted abuse abused attacked isva forensic",
        "pt": "estupro estuprada estuprado violência sexual abuso abusada agressão agredida atacada",
        "ro": "viol violată violat agresiune sexuală abuz abuzată atacată",
        "bg": "изнасилване изнасилена изнасилен сексуално насилие посегателство малтретиране нападната",
        "zh": "强奸 强暴 性侵 性侵犯 性暴力 性骚扰 袭击",
        "es": "violación violada violado agresión sexual abuso abusada atacada",
        "pl": "gwałt zgwałcona zgwałcony napaść seksualna przemoc seksualna molestowanie wykorzystanie",
        "hu": "nemi erőszak megerőszakoltak szexuális bántalmazás zaklatás megtámadtak",
        "bn": "ধর্ষণ ধর্ষিত যৌন নির্যাতন যৌন হয়রানি আক্রমণ",
        "ar": "اغتصاب اغتصبت اعتداء جنسي تحرش عنف جنسي",
    },
    "anonymous-reporting": {
        "en": "report anonymous anonymously ugly mugs bad client dangerous client robbed robbery attacked "
        "threatened warning alert",
        "pt": "denunciar denúncia anônimo anônima cliente perigoso roubada roubo ameaça aviso alerta",
        "ro": "raportează raportare anonim anonimă client periculos jefuită jaf amenințare avertizare alertă",
        "bg": "сигнал анонимно анонимен опасен клиент ограбена грабеж заплаха предупреждение",
        "zh": "举报 匿名 危险客人 抢劫 被抢 威胁 警告 提醒",
        "es": "denunciar denuncia anónimo anónima cliente peligroso robada robo amenaza aviso alerta",
        "pl": "zgłosić zgłoszenie anonimowo anonimowy niebezpieczny klient okradziona rabunek groźby ostrzeżenie",
        "hu": "bejelentés feljelentés névtelen névtelenül veszélyes ügyfél kiraboltak rablás fenyegetés figyelmeztetés",
        "bn": "অভিযোগ বেনামে বিপজ্জনক খদ্দের ডাকাতি হুমকি সতর্কতা",
        "ar": "إبلاغ بلاغ مجهول دون اسم زبون خطير سرقة تهديد تحذير",
    },
    "domestic-abuse": {
        "en": "domestic abuse violence partner boyfriend husband pimp refuge hit beaten controlling",
        "pt": "violência doméstica parceiro namorado marido cafetão abrigo agressão apanhei",
        "ro": "violență domestică partener iubit soț proxenet adăpost bătută",
        "bg": "домашно насилие партньор приятел съпруг сводник убежище бита",
        "zh": "家暴 家庭暴力 伴侣 男朋友 丈夫 皮条客 庇护所 被打",
        "es": "violencia doméstica maltrato pareja novio marido proxeneta refugio golpeada",
        "pl": "przemoc domowa partner chłopak mąż alfons schronisko bita",
        "hu": "családon belüli erőszak bántalmazás partner barát férj strici menedékhely megvert",
        "bn": "পারিবারিক নির্যাতন সঙ্গী স্বামী দালাল আশ্রয় মারধর",
        "ar": "عنف أسري عنف منزلي شريك زوج قواد ملجأ ضرب",
    },
    "trafficking": {
        "en": "trafficking trafficked forced exploitation exploited debt bondage passport taken slavery",
        "pt": "tráfico traficada forçada exploração explorada dívida passaporte escravidão",
        "ro": "trafic traficată forțată exploatare exploatată datorie pașaport sclavie",
        "bg": "трафик трафикирана принудена експлоатация дълг паспорт робство",
        "zh": "人口贩卖 拐卖 强迫 剥削 欠债 护照 奴役",
        "es": "trata tráfico forzada explotación explotada deuda pasaporte esclavitud",
        "pl": "handel ludźmi zmuszana zmuszona wyzysk dług paszport niewolnictwo",
        "hu": "emberkereskedelem kényszerítettek kizsákmányolás adósság útlevél rabszolgaság",
        "bn": "পাচার জোরপূর্বক শোষণ ঋণ পাসপোর্ট দাসত্ব",
        "ar": "اتجار بالبشر إجبار استغلال دين جواز سفر عبودية",
    },
    "legal": {
        "en": "lawyer solicitor legal advice court arrested arrest charged rights criminal record",
        "pt": "advogado advogada jurídico tribunal presa preso direitos antecedentes criminais",
        "ro": "avocat avocată juridic tribunal instanță arestată arestat drepturi cazier",
        "bg": "адвокат правен съвет съд арестувана арест права съдимост",
        "zh": "律师 法律 法律咨询 法院 被捕 逮捕 权利 犯罪记录",
        "es": "abogado abogada legal jurídico tribunal juicio detenida detenido derechos antecedentes",
        "pl": "prawnik prawniczka adwokat porada prawna sąd aresztowana zatrzymana prawa kartoteka",
        "hu": "ügyvéd jogi tanács bíróság letartóztattak jogok büntetett előélet",
        "bn": "আইনজীবী উকিল আইনি পরামর্শ আদালত গ্রেপ্তার অধিকার",
        "ar": "محامي محامية استشارة قانونية محكمة اعتقال حقوق سجل جنائي",
    },
    "immigration": {
        "en": "immigration visa papers documents asylum status home office deportation detention migrant "
        "undocumented refugee",
        "pt": "imigração visto papéis documentos asilo deportação migrante refugiada sem documentos",
        "ro": "imigrare imigrație viză acte documente azil deportare migrant refugiată",
        "bg": "имиграция виза документи убежище депортиране мигрант бежанка",
        "zh": "移民 签证 证件 文件 庇护 身份 遣返 难民 黑户",
        "es": "inmigración migración visado visa papeles documentos asilo deportación migrante refugiada",
        "pl": "imigracja wiza dokumenty papiery azyl deportacja migrantka uchodźczyni",
        "hu": "bevándorlás vízum papírok iratok menedékjog kitoloncolás migráns menekült",
        "bn": "অভিবাসন ভিসা কাগজপত্র আশ্রয় নির্বাসন অভিবাসী শরণার্থী",
        "ar": "هجرة تأشيرة أوراق وثائق لجوء ترحيل مهاجر لاجئ إقامة",
    },
    "drugs-alcohol": {
        "en": "drugs drug alcohol drinking crack heroin cocaine needles needle exchange methadone overdose "
        "naloxone chemsex",
        "pt": "drogas droga álcool bebida crack heroína cocaína seringas overdose",
        "ro": "droguri drog alcool băutură crack heroină cocaină seringi supradoză",
        "bg": "наркотици дрога алкохол пиене крек хероин кокаин спринцовки свръхдоза",
        "zh": "毒品 吸毒 酒精 酗酒 海洛因 可卡因 针具 过量",
        "es": "drogas droga alcohol bebida crack heroína cocaína jeringuillas jeringas sobredosis",
        "pl": "narkotyki alkohol picie crack heroina kokaina igły strzykawki przedawkowanie",
        "hu": "drog drogok alkohol ivás crack heroin kokain tű tűcsere túladagolás",
        "bn": "মাদক নেশা মদ হেরোইন কোকেন সুঁই অতিরিক্ত মাত্রা",
        "ar": "مخدرات كحول خمر هيروين كوكايين إبر جرعة زائدة",
    },
    "mental-health": {
        "en": "mental health counselling counsellor therapy therapist someone to talk to depression anxiety "
        "stress suicide suicidal trauma lonely",
        "pt": "saúde mental psicólogo psicóloga terapia conversar depressão ansiedade estresse suicídio trauma",
        "ro": "sănătate mintală psiholog consiliere terapie să vorbesc depresie anxietate stres sinucidere traumă",
        "bg": "психично здраве психолог консултиране терапия да поговоря депресия тревожност стрес самоубийство",
        "zh": "心理健康 心理咨询 心理医生 治疗 倾诉 抑郁 焦虑 压力 自杀 创伤",
        "es": "salud mental psicólogo psicóloga terapia hablar con alguien depresión ansiedad estrés suicidio trauma",
        "pl": "zdrowie psychiczne psycholog psycholożka terapia porozmawiać depresja lęk stres samobójstwo trauma",
        "hu": "lelki egészség pszichológus tanácsadás terápia beszélgetni depresszió szorongás stressz öngyilkosság",
        "bn": "মানসিক স্বাস্থ্য কাউন্সেলিং থেরাপি কথা বলা বিষণ্নতা উদ্বেগ চাপ আত্মহত্যা",
        "ar": "صحة نفسية إرشاد نفسي علاج نفسي أتحدث اكتئاب قلق ضغط انتحار صدمة",
    },
    "housing": {
        "en": "housing homeless somewhere to sleep tonight shelter hostel rent evicted accommodation rough sleeping",
        "pt": "moradia casa sem teto onde dormir abrigo albergue aluguel despejada",
        "ro": "locuință casă fără adăpost unde să dorm adăpost cămin chirie evacuată",
        "bg": "жилище бездомна къде да спя приют общежитие наем изгонена",
        "zh": "住房 无家可归 住的地方 睡觉 收容所 旅社 房租 被赶出",
        "es": "vivienda casa sin hogar dónde dormir albergue refugio alquiler desalojada desahucio",
        "pl": "mieszkanie bezdomna gdzie spać noclegownia schronisko czynsz eksmisja",
        "hu": "lakhatás lakás hajléktalan hol aludjak szálló menhely lakbér kilakoltattak",
        "bn": "বাসস্থান গৃহহীন থাকার জায়গা ঘুমানোর আশ্রয় ভাড়া উচ্ছেদ",
        "ar": "سكن مأوى بلا مأوى مكان للنوم ملجأ إيجار طرد",
    },
    "peer-support": {
        "en": "peer support sex workers community collective union rights other workers",
        "pt": "apoio trabalhadoras sexuais comunidade coletivo sindicato direitos",
        "ro": "sprijin lucrătoare sexuale comunitate colectiv sindicat drepturi",
        "bg": "подкрепа секс работници общност колектив синдикат права",
        "zh": "同伴 互助 性工作者 社群 团体 工会 权利",
        "es": "apoyo trabajadoras sexuales comunidad colectivo sindicato derechos",
        "pl": "wsparcie osoby pracujące seksualnie społeczność kolektyw związek prawa",
        "hu": "támogatás szexmunkások közösség kollektíva szakszervezet jogok",
        "bn": "সহায়তা যৌনকর্মী সম্প্রদায় সংগঠন অধিকার",
        "ar": "دعم العاملات في الجنس مجتمع تجمع نقابة حقوق",
    },
    "exiting": {
        "en": "leave stop sex work exit job jobs training benefits money new life",
        "pt": "sair parar trabalho sexual emprego trabalho curso benefícios dinheiro nova vida",
        "ro": "ieșire renunț muncă sexuală loc de muncă slujbă curs ajutoare bani viață nouă",
        "bg": "напускане спра секс работа работа курс помощи пари нов живот",
        "zh": "离开 退出 性工作 工作 培训 福利 补助 钱 新生活",
        "es": "dejar salir trabajo sexual empleo trabajo curso ayudas dinero nueva vida",
        "pl": "odejść rzucić praca seksualna praca szkolenie zasiłki pieniądze nowe życie",
        "hu": "kilépés abbahagyni szexmunka munka állás képzés segély pénz új élet",
        "bn": "ছাড়া যৌনকর্ম চাকরি কাজ প্রশিক্ষণ ভাতা টাকা নতুন জীবন",
        "ar": "ترك العمل الجنسي وظيفة عمل تدريب إعانات مال حياة جديدة",
    },
}
