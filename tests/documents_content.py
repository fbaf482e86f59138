"""The content of the demo's documents and of the labelled set of documents — fictional.

Organisations are invented; what is written in the name of Member States and UN entities is
sample text, not their positions; numbers are not statistics. Each paragraph carries its label:
a skip reason, or 'kind/pillar' for a statement (see tests/documents_kit.py).
"""

from __future__ import annotations

from documents_kit import Doc

ILLUSTRATIVE = "Illustrative sample document prepared for the GPA review workbook demo"

# --- the demo's documents (inputs/contributions/) ------------------------------------------------

DEMO = [
    Doc(
        "MS-GHA-2017-NOTE.docx",
        {
            "contribution_id": "MS-GHA-2017",
            "contributor": "Ghana",
            "stakeholder_type": "member_state",
            "country": "Ghana",
            "received": "2017-06-12",
            "language": "en",
        },
        [
            ("letterhead", "Note No. GH/PM/NY/217"),
            (
                "courtesy",
                "The Permanent Mission of the Republic of Ghana to the United Nations presents its compliments to the Office of the President of the General Assembly and, with reference to the appraisal of the Global Plan of Action to Combat Trafficking in Persons, has the honour to transmit herewith the contribution of the Government of Ghana.",
            ),
            (
                "courtesy",
                "The Permanent Mission of the Republic of Ghana avails itself of this opportunity to renew to the Office of the President of the General Assembly the assurances of its highest consideration.",
            ),
            ("letterhead", "New York, 12 June 2017"),
            ("heading", "Annex: Contribution of Ghana to the 2017 appraisal (illustrative)"),
            ("heading", "Prevention"),
            (
                "achievement/prevention",
                "In 2016 the Human Trafficking Secretariat ran an awareness campaign on fraudulent recruitment in 120 schools and on community radio in the Volta and Central regions.",
            ),
            (
                "gap/prevention",
                "Labour inspection in fishing communities on Lake Volta remains limited, and few inspectors are trained to recognise child labour linked to trafficking.",
            ),
            ("heading", "Protection and assistance"),
            (
                "achievement/protection",
                "A second government shelter for child victims was opened in 2016, with psychosocial counselling and referral to education.",
            ),
            (
                "gap/protection",
                "Shelters for adult victims, and especially for men, are still lacking, and victims are rarely compensated.",
            ),
            ("heading", "Prosecution"),
            (
                "achievement/prosecution",
                "Prosecutors and judges from all ten regions were trained on the Human Trafficking Act, and convictions increased compared with 2015.",
            ),
            ("heading", "Recommendations for the political declaration"),
            (
                "proposal/partnership",
                "• States should strengthen cooperation among countries of origin, transit and destination in West Africa, including joint investigations.",
            ),
            (
                "proposal/protection",
                "• The declaration should call for dedicated funding for shelters and reintegration of survivors.",
            ),
        ],
        header="Permanent Mission of the Republic of Ghana to the United Nations",
        footer=ILLUSTRATIVE,
        extra={"title": "Note verbale and contribution of Ghana (illustrative)"},
    ),
    Doc(
        "CSO-TIDEWATCH.pdf",
        {
            "contribution_id": "CSO-TIDEWATCH",
            "contributor": "Tidewatch Alliance",
            "stakeholder_type": "civil_society",
            "country": "Portugal",
            "received": "2017-06-20",
            "language": "en",
        },
        [
            (
                "heading",
                "Tidewatch Alliance - submission to the appraisal of the Global Plan of Action",
            ),
            ("too_short", ILLUSTRATIVE + "."),
            ("heading", "About us"),
            (
                "achievement/protection",
                "Tidewatch Alliance is a network of fishers' associations and shelters that has assisted 340 survivors of forced labour at sea since 2014, with legal aid and safe return.",
            ),
            ("heading", "What has moved"),
            (
                "achievement/prosecution",
                "Port inspections now cover the main fishing ports, and several vessel owners were prosecuted for forced labour in 2016.",
            ),
            (
                "good_practice/protection",
                "A good practice: survivors trained as peer counsellors meet newly identified fishers in their own language in the first 48 hours, which has proven effective in keeping them engaged with the case.",
            ),
            ("heading", "What is still missing"),
            (
                "gap/protection",
                "Migrant fishers on long-haul vessels are still not identified as victims, because inspectors do not board vessels at sea and interpreters are lacking.",
            ),
            (
                "gap/prevention",
                "Recruitment fees charged in countries of origin remain the main cause of debt bondage among the fishers we assist.",
            ),
            ("heading", "Our recommendations"),
            (
                "proposal/prevention",
                "- Governments should ban recruitment fees charged to workers and hold recruiters and employers jointly liable.",
            ),
            (
                "proposal/protection",
                "- States should ensure that victims identified at sea are given a reflection period and residence permits regardless of their cooperation with the prosecution.",
            ),
            (
                "proposal/partnership",
                "- Flag States, coastal States and port States should share vessel inspection data through a common platform.",
            ),
            ("salutation", "Yours sincerely,"),
            ("signature", "Executive Director, Tidewatch Alliance"),
        ],
        header="Tidewatch Alliance | Submission to the GPA appraisal 2017",
    ),
    Doc(
        "UN-UNFPA-MEMO.docx",
        {
            "contribution_id": "UN-UNFPA",
            "contributor": "United Nations Population Fund",
            "stakeholder_type": "un_entity",
            "received": "2017-06-05",
            "language": "en",
        },
        [
            ("heading", "Memorandum"),
            ("letterhead", "Ref: UNFPA/GPA/2017/04"),
            ("too_short", "To: Office of the President of the General Assembly"),
            ("too_short", "Subject: Input to the GPA appraisal"),
            (
                "achievement/protection",
                "Since 2015 UNFPA has supported clinical management of rape and psychosocial services for women and girls trafficked in humanitarian settings in 14 countries.",
            ),
            (
                "gap/protection",
                "Sexual and reproductive health services for trafficking survivors remain insufficient in crisis settings, and referral pathways between humanitarian actors and anti-trafficking services are weak.",
            ),
            (
                "good_practice/partnership",
                "Joint standard operating procedures agreed by gender-based violence and anti-trafficking coordination groups in two refugee responses proved effective and could be replicated.",
            ),
            (
                "proposal/prevention",
                "The declaration should recognise that conflict and displacement increase the risk of trafficking for sexual exploitation and forced marriage, and call for prevention in humanitarian response plans.",
            ),
            (
                "proposal/partnership",
                "Member States should include trafficking risks in the data collected through the Global Compact for Migration and share them with humanitarian actors.",
            ),
            ("salutation", "Best regards,"),
            ("signature", "Director, Technical Division"),
        ],
        footer=ILLUSTRATIVE,
    ),
    Doc(
        "MS-SEN-2017-NOTE.odt",
        {
            "contribution_id": "MS-SEN-2017",
            "contributor": "République du Sénégal",
            "stakeholder_type": "member_state",
            "country": "Senegal",
            "received": "2017-06-28",
            "language": "fr",
        },
        [
            (
                "courtesy",
                "La Mission permanente de la République du Sénégal auprès de l'Organisation des Nations Unies présente ses compliments au Bureau du Président de l'Assemblée générale et a l'honneur de lui transmettre la contribution du Gouvernement du Sénégal à l'évaluation du Plan d'action mondial.",
            ),
            ("heading", "Contribution du Sénégal (document d'illustration)"),
            (
                "achievement/prosecution",
                "La Cellule nationale de lutte contre la traite des personnes a formé en 2016 des magistrats et des officiers de police judiciaire de toutes les régions, et le nombre de poursuites a augmenté.",
            ),
            (
                "achievement/protection",
                "Un centre d'accueil pour les enfants victimes de mendicité forcée a été ouvert à Dakar, avec un accompagnement psychosocial et scolaire.",
            ),
            (
                "gap/protection",
                "Les moyens consacrés à la réinsertion des enfants talibés restent insuffisants et le suivi des enfants rapatriés est encore faible.",
            ),
            (
                "proposal/partnership",
                "La déclaration politique devrait encourager la coopération régionale en Afrique de l'Ouest pour le rapatriement et la réinsertion des enfants victimes.",
            ),
            (
                "courtesy",
                "La Mission permanente de la République du Sénégal saisit cette occasion pour renouveler au Bureau du Président de l'Assemblée générale les assurances de sa très haute considération.",
            ),
            ("letterhead", "New York, le 28 juin 2017"),
        ],
        header="Mission permanente de la République du Sénégal auprès des Nations Unies",
    ),
    Doc(
        "SLG-CAMINOS.pdf",
        {
            "contribution_id": "SLG-CAMINOS",
            "contributor": "Caminos Libres",
            "stakeholder_type": "survivor_led",
            "country": "Ecuador",
            "received": "2017-06-30",
            "language": "es",
        },
        [
            ("heading", "Caminos Libres - aporte a la evaluación del Plan de Acción Mundial"),
            ("too_short", "Documento de ilustración, organización ficticia."),
            ("salutation", "Estimados señores:"),
            (
                "good_practice/protection",
                "Nuestro grupo de sobrevivientes acompaña a las víctimas durante el proceso penal; esta buena práctica ha reducido los abandonos de las causas y podría replicarse en otros países.",
            ),
            (
                "gap/protection",
                "Las víctimas todavía no reciben asistencia jurídica gratuita y muchas siguen sin acceso a una reparación.",
            ),
            (
                "gap/prosecution",
                "Los fiscales carecen de formación sobre trata con fines de explotación laboral y pocas causas llegan a una condena.",
            ),
            (
                "proposal/protection",
                "Los Estados deberían garantizar la participación de las organizaciones de sobrevivientes en el diseño de los servicios de asistencia.",
            ),
            (
                "proposal/protection",
                "La declaración debe reconocer el principio de no punición de las víctimas por los delitos que fueron obligadas a cometer.",
            ),
            ("salutation", "Atentamente,"),
            ("signature", "Coordinadora, Caminos Libres"),
        ],
        header="Caminos Libres - Red de sobrevivientes",
    ),
]


# --- the labelled set (tests/data/documents/) ------------------------------------------------------


def _meta(cid: str, who: str, kind: str, language: str, country: str = "") -> dict[str, str]:
    meta = {"contribution_id": cid, "contributor": who, "stakeholder_type": kind}
    if country:
        meta["country"] = country
    return meta | {"received": "2017-06-15", "language": language}


LABELLED = [
    # English
    Doc(
        "en-note-verbale.docx",
        _meta("L-EN-1", "Republic of Kenya", "member_state", "en", "Kenya"),
        [
            ("letterhead", "Ref. KPM/UN/2017/88"),
            (
                "courtesy",
                "The Permanent Mission of the Republic of Kenya to the United Nations presents its compliments to the President of the General Assembly and has the honour to submit the following information on the implementation of the Global Plan of Action.",
            ),
            ("heading", "Legislation and prosecution"),
            (
                "achievement/prosecution",
                "The Counter-Trafficking in Persons Act was amended in 2016 to cover trafficking for organ removal, and a specialised unit of prosecutors was established in Nairobi and Mombasa.",
            ),
            (
                "gap/prosecution",
                "Investigations of cross-border cases are still hampered by slow mutual legal assistance and a lack of financial investigators.",
            ),
            ("heading", "Victim protection"),
            (
                "achievement/protection",
                "National referral guidelines for the identification of victims were adopted, and 600 frontline officers were trained in their use.",
            ),
            (
                "gap/protection",
                "There is no government-run shelter for adult victims, and the victim assistance fund has not yet been operationalised.",
            ),
            ("heading", "Prevention"),
            (
                "achievement/prevention",
                "Pre-departure orientation is now compulsory for all migrant domestic workers travelling to the Gulf region.",
            ),
            (
                "proposal/prevention",
                "• The declaration should call on countries of destination to regulate private recruitment agencies and ban recruitment fees.",
            ),
            (
                "proposal/partnership",
                "• Member States should strengthen bilateral labour agreements that include protection against trafficking.",
            ),
            (
                "courtesy",
                "The Permanent Mission of the Republic of Kenya avails itself of this opportunity to renew to the President of the General Assembly the assurances of its highest consideration.",
            ),
            ("letterhead", "New York, 15 June 2017"),
        ],
        header="Permanent Mission of the Republic of Kenya",
    ),
    Doc(
        "en-cso-report.pdf",
        _meta("L-EN-2", "Safe Harbour Coalition", "civil_society", "en", "Philippines"),
        [
            ("heading", "Safe Harbour Coalition - report to the GPA appraisal"),
            ("salutation", "Dear Excellencies,"),
            (
                "achievement/prevention",
                "Our community watch groups have reached 45 coastal villages with information on safe migration and on the risks of online recruitment since 2015.",
            ),
            (
                "gap/prevention",
                "Online sexual exploitation of children remains largely unaddressed, and internet service providers are not required to report it.",
            ),
            (
                "gap/protection",
                "Child victims of online exploitation are often returned to the same households where the abuse took place, without follow-up.",
            ),
            (
                "good_practice/protection",
                "A promising practice is the child-friendly interview room set up with the police in two cities, which spares children from repeating their testimony.",
            ),
            (
                "gap/prosecution",
                "Few cases of online exploitation reach the courts, because digital evidence is not collected in time.",
            ),
            (
                "proposal/prosecution",
                "- States should give law enforcement the mandate and tools to preserve digital evidence quickly, with safeguards for privacy.",
            ),
            (
                "proposal/partnership",
                "- The private sector, in particular technology companies and payment providers, should be required to detect and report online exploitation.",
            ),
            (
                "proposal/protection",
                "- Governments should fund specialised psychosocial services for child survivors of online abuse.",
            ),
            ("salutation", "Yours faithfully,"),
            ("signature", "Director, Safe Harbour Coalition"),
        ],
        header="Safe Harbour Coalition | GPA appraisal 2017",
    ),
    Doc(
        "en-un-memo.md",
        _meta("L-EN-3", "International Labour Organization", "un_entity", "en"),
        [
            ("heading", "Memo: ILO input to the appraisal"),
            ("too_short", "To: the co-facilitators"),
            (
                "achievement/prevention",
                "The Protocol of 2014 to the Forced Labour Convention has been ratified by 20 States, which have adopted national action plans on forced labour.",
            ),
            (
                "gap/prevention",
                "Labour inspectorates in most countries still lack the resources and the mandate to inspect informal workplaces, private homes and agriculture.",
            ),
            (
                "gap/protection",
                "Access to remedies and compensation for victims of forced labour remains very limited.",
            ),
            (
                "good_practice/partnership",
                "Fair recruitment pilots with employers and unions along three migration corridors have shown that fees can be eliminated without raising costs for workers.",
            ),
            (
                "proposal/prevention",
                "The declaration should encourage the ratification of the Forced Labour Protocol and the extension of labour inspection to all sectors.",
            ),
            (
                "proposal/partnership",
                "Member States should cooperate with employers' and workers' organisations to eliminate forced labour from supply chains.",
            ),
            ("too_short", "ILO, Geneva"),
        ],
        split="held_out",
    ),
    Doc(
        "en-academic-brief.html",
        _meta("L-EN-4", "Northbridge Institute for Migration Studies", "academia", "en"),
        [
            ("heading", "Evidence brief for the appraisal"),
            (
                "gap/prevention",
                "Data on trafficking remain scattered across agencies and are rarely disaggregated by age, sex and form of exploitation.",
            ),
            (
                "achievement/partnership",
                "In 2016 a regional network of universities and statistics offices launched a shared methodology for estimating hidden populations.",
            ),
            (
                "good_practice/prevention",
                "Multiple systems estimation, tested in four European countries, is a good practice for estimating the number of unidentified victims.",
            ),
            (
                "gap/protection",
                "Evaluations of victim assistance programmes are very few, so little is known about what helps survivors recover.",
            ),
            (
                "proposal/prevention",
                "States should invest in national data collection systems and publish data every year.",
            ),
            (
                "proposal/protection",
                "Donors should require independent evaluations of assistance programmes and publish their results.",
            ),
            ("heading", "Contact"),
            ("letterhead", "E-mail: brief@northbridge.example"),
        ],
        header="Northbridge Institute - illustrative",
        split="held_out",
    ),
    # French
    Doc(
        "fr-note-verbale.docx",
        _meta("L-FR-1", "République du Mali", "member_state", "fr", "Mali"),
        [
            ("letterhead", "N° 0217/MPM/NY"),
            (
                "courtesy",
                "La Mission permanente de la République du Mali auprès de l'Organisation des Nations Unies présente ses compliments au Président de l'Assemblée générale et a l'honneur de lui faire tenir ci-après les informations du Gouvernement malien.",
            ),
            ("heading", "Cadre juridique"),
            (
                "achievement/prosecution",
                "La loi relative à la lutte contre la traite des personnes a été adoptée en 2012 et un comité national de coordination a été créé.",
            ),
            (
                "gap/prosecution",
                "Le nombre de condamnations reste faible, faute de moyens pour les enquêtes et de formation des magistrats.",
            ),
            ("heading", "Protection des victimes"),
            (
                "gap/protection",
                "Les structures d'accueil pour les victimes sont encore insuffisantes, en particulier dans les régions du nord.",
            ),
            (
                "achievement/protection",
                "Des agents des services sociaux ont été formés à l'identification des enfants victimes dans les sites d'orpaillage.",
            ),
            (
                "proposal/partnership",
                "• La déclaration devrait appeler à renforcer la coopération transfrontalière avec les pays voisins.",
            ),
            (
                "proposal/protection",
                "• Les États devraient créer un fonds d'assistance aux victimes alimenté par les avoirs confisqués.",
            ),
            (
                "courtesy",
                "La Mission permanente de la République du Mali saisit cette occasion pour renouveler au Président de l'Assemblée générale les assurances de sa haute considération.",
            ),
            ("letterhead", "New York, le 15 juin 2017"),
        ],
        header="Mission permanente du Mali",
    ),
    Doc(
        "fr-ong-rapport.pdf",
        _meta("L-FR-2", "Réseau Espoir Afrique", "civil_society", "fr", "Burkina Faso"),
        [
            ("heading", "Réseau Espoir Afrique - contribution à l'évaluation"),
            ("salutation", "Madame, Monsieur,"),
            (
                "achievement/prevention",
                "Depuis 2015, nos animateurs ont sensibilisé plus de 8 000 parents aux risques du placement des enfants auprès d'intermédiaires.",
            ),
            (
                "gap/prevention",
                "Les campagnes de sensibilisation ne touchent pas encore les zones rurales les plus reculées, où le départ des enfants vers les mines est fréquent.",
            ),
            (
                "gap/protection",
                "Les enfants retirés des sites miniers manquent de solutions de scolarisation et de formation professionnelle.",
            ),
            (
                "good_practice/protection",
                "Les familles d'accueil formées par notre réseau constituent une bonne pratique : elles offrent un cadre familial aux enfants en attendant leur retour.",
            ),
            (
                "proposal/protection",
                "- Les États devraient garantir l'accès à l'éducation de tous les enfants victimes de traite.",
            ),
            (
                "proposal/prevention",
                "- Il faut renforcer l'inspection du travail dans les sites d'orpaillage artisanal.",
            ),
            (
                "salutation",
                "Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
            ),
            ("signature", "Le Directeur exécutif"),
        ],
        header="Réseau Espoir Afrique",
    ),
    Doc(
        "fr-onu-note.txt",
        _meta("L-FR-3", "Haut-Commissariat des Nations Unies pour les réfugiés", "un_entity", "fr"),
        [
            ("heading", "Note du HCR pour l'évaluation du Plan d'action mondial"),
            (
                "achievement/protection",
                "Des procédures de référence entre l'asile et la lutte contre la traite ont été mises en place dans douze pays.",
            ),
            (
                "gap/protection",
                "Les victimes de traite qui ont besoin d'une protection internationale ne sont pas toujours orientées vers la procédure d'asile.",
            ),
            (
                "gap/prevention",
                "Les réfugiés et les personnes déplacées restent très exposés au risque de traite, notamment le long des routes migratoires de la Méditerranée centrale.",
            ),
            (
                "good_practice/partnership",
                "Les équipes conjointes du HCR et de l'OIM aux points de débarquement sont un exemple de coopération efficace pour l'identification.",
            ),
            (
                "proposal/protection",
                "La déclaration devrait rappeler le principe de non-refoulement pour les victimes de traite.",
            ),
            (
                "proposal/partnership",
                "Les États sont invités à associer les organisations humanitaires aux mécanismes nationaux d'orientation.",
            ),
            ("too_short", "Genève, HCR"),
        ],
        split="held_out",
    ),
    # Spanish
    Doc(
        "es-nota-verbal.docx",
        _meta("L-ES-1", "República del Paraguay", "member_state", "es", "Paraguay"),
        [
            (
                "courtesy",
                "La Misión Permanente de la República del Paraguay ante las Naciones Unidas saluda atentamente a la Presidencia de la Asamblea General y tiene el honor de remitir la contribución del Gobierno nacional.",
            ),
            ("heading", "Avances"),
            (
                "achievement/prosecution",
                "En 2016 se creó una unidad fiscal especializada en trata de personas y se capacitó a 150 fiscales y jueces.",
            ),
            (
                "achievement/protection",
                "Se puso en marcha un albergue para mujeres víctimas de trata en Asunción, con asistencia psicológica y jurídica.",
            ),
            (
                "achievement/prevention",
                "El plan nacional de prevención 2015-2019 fue aprobado e incluye campañas en las zonas de frontera.",
            ),
            ("heading", "Desafíos"),
            (
                "gap/protection",
                "La asistencia a las víctimas en el interior del país sigue siendo insuficiente.",
            ),
            (
                "gap/partnership",
                "La cooperación con los países de destino todavía es limitada para la repatriación segura de las víctimas.",
            ),
            ("heading", "Propuestas"),
            (
                "proposal/partnership",
                "• La declaración debería promover la cooperación regional en el marco del MERCOSUR.",
            ),
            (
                "proposal/protection",
                "• Los Estados deben asegurar la reintegración de las víctimas con programas de empleo.",
            ),
            (
                "courtesy",
                "La Misión Permanente de la República del Paraguay aprovecha la oportunidad para reiterar a la Presidencia de la Asamblea General las seguridades de su más alta consideración.",
            ),
            ("letterhead", "Nueva York, 15 de junio de 2017"),
        ],
        header="Misión Permanente del Paraguay",
    ),
    Doc(
        "es-ong-informe.pdf",
        _meta("L-ES-2", "Fundación Puentes", "civil_society", "es", "Guatemala"),
        [
            ("heading", "Fundación Puentes - informe para la evaluación"),
            ("salutation", "Estimados señores:"),
            (
                "gap/prevention",
                "Los niños y niñas migrantes no acompañados siguen expuestos a la trata en la ruta hacia el norte, y los controles fronterizos no detectan los casos.",
            ),
            (
                "gap/prosecution",
                "Las redes de trata rara vez son investigadas y la impunidad persiste en las zonas fronterizas.",
            ),
            (
                "achievement/protection",
                "Desde 2014 nuestra fundación ha brindado asistencia jurídica gratuita a 420 víctimas y sus familias.",
            ),
            (
                "good_practice/protection",
                "El acompañamiento por pares sobrevivientes es una buena práctica que ha demostrado ser eficaz para que las víctimas continúen con el proceso.",
            ),
            (
                "proposal/prosecution",
                "- Los Estados deberían crear fiscalías especializadas en las zonas de frontera.",
            ),
            (
                "proposal/protection",
                "- Es necesario asegurar la protección de los niños migrantes no acompañados y su interés superior.",
            ),
            ("salutation", "Atentamente,"),
            ("signature", "Directora ejecutiva"),
        ],
        header="Fundación Puentes",
    ),
    Doc(
        "es-academia.odt",
        _meta("L-ES-3", "Observatorio Andino de Migraciones", "academia", "es"),
        [
            ("heading", "Observatorio Andino de Migraciones: aporte"),
            (
                "gap/prevention",
                "Faltan datos comparables sobre la trata en la región andina y los registros administrativos no están armonizados.",
            ),
            (
                "achievement/partnership",
                "En 2016 el observatorio y cuatro institutos de estadística acordaron una metodología común para el registro de casos.",
            ),
            (
                "gap/protection",
                "La mayoría de las víctimas identificadas no recibe asistencia después de la primera entrevista.",
            ),
            (
                "good_practice/prevention",
                "El registro único de casos de Colombia es un ejemplo que podría replicarse en otros países.",
            ),
            (
                "proposal/prevention",
                "Los Estados deberían publicar cada año datos desglosados por sexo, edad y forma de explotación.",
            ),
            (
                "proposal/partnership",
                "Se recomienda crear una red regional de investigación sobre trata con financiamiento estable.",
            ),
            ("too_short", "Lima, junio de 2017"),
        ],
        header="Observatorio Andino de Migraciones",
        split="held_out",
    ),
    # Russian
    Doc(
        "ru-nota.docx",
        _meta("L-RU-1", "Республика Армения", "member_state", "ru", "Armenia"),
        [
            (
                "courtesy",
                "Постоянное представительство Республики Армения при Организации Объединенных Наций свидетельствует свое уважение Председателю Генеральной Ассамблеи и имеет честь препроводить информацию правительства.",
            ),
            ("heading", "Достижения"),
            (
                "achievement/prosecution",
                "В 2016 году были приняты поправки к Уголовному кодексу, и создано специализированное подразделение полиции по расследованию дел о торговле людьми.",
            ),
            (
                "achievement/protection",
                "Открыт государственный приют для жертв торговли людьми, где оказывается медицинская, психологическая и юридическая помощь.",
            ),
            ("heading", "Проблемы"),
            (
                "gap/protection",
                "Выплата компенсации жертвам по-прежнему остается редкостью, а программы реинтеграции ограничены.",
            ),
            (
                "gap/prevention",
                "Информированность трудовых мигрантов о рисках торговли людьми остается недостаточной.",
            ),
            ("heading", "Предложения"),
            (
                "proposal/partnership",
                "• Государствам следует укреплять сотрудничество в рамках СНГ по совместным расследованиям.",
            ),
            (
                "proposal/protection",
                "• В декларации необходимо предусмотреть создание фондов помощи жертвам.",
            ),
            (
                "courtesy",
                "Постоянное представительство Республики Армения пользуется случаем, чтобы возобновить Председателю Генеральной Ассамблеи уверения в своем высоком уважении.",
            ),
            ("letterhead", "Нью-Йорк, 15 июня 2017 года"),
        ],
        header="Постоянное представительство Республики Армения",
    ),
    Doc(
        "ru-ngo.txt",
        _meta("L-RU-2", "Центр Надежда", "civil_society", "ru", "Kyrgyzstan"),
        [
            ("heading", "Центр Надежда: вклад в оценку Глобального плана действий"),
            ("salutation", "Уважаемые коллеги!"),
            (
                "achievement/protection",
                "С 2015 года наш центр оказал помощь более чем 200 пострадавшим от трудовой эксплуатации, включая юридическую помощь и возвращение домой.",
            ),
            (
                "gap/protection",
                "Пострадавшие мужчины по-прежнему не могут получить место в приюте, и для них нет программ реабилитации.",
            ),
            (
                "gap/prosecution",
                "Уголовные дела о трудовой эксплуатации редко доходят до суда из-за нехватки доказательств.",
            ),
            (
                "good_practice/prevention",
                "Горячая линия для мигрантов на родном языке показала себя эффективной практикой предупреждения.",
            ),
            (
                "proposal/prevention",
                "- Государствам следует запретить взимание платы за трудоустройство с работников-мигрантов.",
            ),
            (
                "proposal/prosecution",
                "- Необходимо обучать следователей и судей выявлению признаков принудительного труда.",
            ),
            ("salutation", "С уважением,"),
            ("signature", "Директор Центра Надежда"),
        ],
        split="held_out",
    ),
    Doc(
        "ru-un-memo.md",
        _meta(
            "L-RU-3",
            "Управление Организации Объединенных Наций по наркотикам и преступности",
            "un_entity",
            "ru",
        ),
        [
            ("heading", "Записка УНП ООН для оценки"),
            (
                "achievement/prosecution",
                "В 2016 году УНП ООН провело обучение для 1500 сотрудников правоохранительных органов и прокуроров в Центральной Азии.",
            ),
            (
                "gap/prosecution",
                "Число обвинительных приговоров по делам о торговле людьми остается низким во многих странах региона.",
            ),
            (
                "gap/partnership",
                "Обмен данными между странами происхождения и назначения по-прежнему ограничен.",
            ),
            (
                "good_practice/partnership",
                "Совместные следственные группы, созданные двумя государствами региона, являются положительным примером сотрудничества.",
            ),
            (
                "proposal/partnership",
                "Государствам следует шире использовать совместные следственные группы и обмен информацией.",
            ),
            (
                "proposal/protection",
                "Декларация должна призвать к выявлению жертв среди мигрантов и беженцев на ранней стадии.",
            ),
            ("too_short", "Вена, УНП ООН"),
        ],
        split="held_out",
    ),
    Doc(
        "en-io-letter.odt",
        _meta(
            "L-EN-5",
            "Organization for Security and Co-operation in Europe",
            "international_organisation",
            "en",
        ),
        [
            ("letterhead", "Vienna, 14 June 2017"),
            ("salutation", "Dear Co-facilitators,"),
            (
                "courtesy",
                "The Office of the Special Representative has the honour to transmit the following input to the appraisal of the Global Plan of Action.",
            ),
            ("heading", "Developments in the region"),
            (
                "achievement/partnership",
                "Since 2015 the participating States have held annual meetings of national coordinators and adopted a joint addendum on the needs of child victims.",
            ),
            (
                "gap/prosecution",
                "Financial investigations are still rarely used in trafficking cases, and assets are seldom confiscated.",
            ),
            (
                "gap/protection",
                "Victims of trafficking among refugees and migrants in the region are seldom identified and referred to assistance.",
            ),
            (
                "good_practice/prevention",
                "Simulation-based training, in which police, prosecutors and social workers rehearse a case together, has proven effective and is being replicated.",
            ),
            ("heading", "Suggestions for the declaration"),
            (
                "proposal/prosecution",
                "• States should systematically run parallel financial investigations and confiscate the proceeds of trafficking.",
            ),
            (
                "proposal/prevention",
                "• Governments should require companies to report on the risks of trafficking in their supply chains.",
            ),
            ("salutation", "Yours sincerely,"),
            ("signature", "Special Representative and Co-ordinator"),
        ],
        header="Office of the Special Representative - illustrative",
        split="held_out",
    ),
]


# --- the demo's confirmations (inputs/decisions/): what an officer decided on each suggestion -----

OFFICER = "Demo officer (illustrative)"
# statement id → (decision, kind corrected or "", pillar corrected or "", note)
DEMO_DECISIONS = {
    "CSO-TIDEWATCH-2": ("set_aside", "", "", "the document's title, not a statement"),
    "CSO-TIDEWATCH-3": ("set_aside", "", "", "the illustrative label of the demo"),
    "CSO-TIDEWATCH-5": ("keep", "", "", ""),
    "CSO-TIDEWATCH-7": ("keep", "achievement", "", "inspections and prosecutions: what has moved"),
    "CSO-TIDEWATCH-8": ("keep", "", "", ""),
    "CSO-TIDEWATCH-10": ("keep", "", "", ""),
    "CSO-TIDEWATCH-11": ("keep", "", "", ""),
    "CSO-TIDEWATCH-13": ("keep", "", "", ""),
    "CSO-TIDEWATCH-14": ("keep", "", "", ""),
    "CSO-TIDEWATCH-15": ("keep", "", "", ""),
    "MS-GHA-2017-NOTE-9": ("keep", "", "", ""),
    "MS-GHA-2017-NOTE-10": ("keep", "", "", ""),
    "MS-GHA-2017-NOTE-12": ("keep", "", "", ""),
    "MS-GHA-2017-NOTE-13": ("keep", "", "", ""),
    "MS-GHA-2017-NOTE-15": ("keep", "", "", ""),
    "MS-GHA-2017-NOTE-17": ("keep", "", "", ""),
    "MS-GHA-2017-NOTE-18": ("keep", "", "", ""),
    "MS-SEN-2017-NOTE-4": ("keep", "", "", ""),
    "MS-SEN-2017-NOTE-5": ("keep", "", "", ""),
    "MS-SEN-2017-NOTE-6": ("keep", "", "", ""),
    "MS-SEN-2017-NOTE-7": ("keep", "", "partnership", "regional cooperation"),
    "SLG-CAMINOS-2": ("set_aside", "", "", "the organisation's running header, not a statement"),
    "SLG-CAMINOS-5": ("keep", "", "", ""),
    "SLG-CAMINOS-6": ("keep", "", "", ""),
    "SLG-CAMINOS-7": ("keep", "", "", ""),
    "SLG-CAMINOS-8": ("keep", "", "", ""),
    "SLG-CAMINOS-9": ("keep", "", "", ""),
    "UN-UNFPA-MEMO-6": ("keep", "", "", ""),
    "UN-UNFPA-MEMO-7": ("keep", "", "", ""),
    "UN-UNFPA-MEMO-8": ("keep", "", "", ""),
    "UN-UNFPA-MEMO-9": ("keep", "", "", ""),
    "UN-UNFPA-MEMO-10": ("keep", "", "", ""),
}
# English renderings of the French and Spanish statements, written for the demo.
DEMO_ENGLISH = {
    "MS-SEN-2017-NOTE-4": "In 2016 the National Unit against Trafficking in Persons trained judges and judicial police officers from every region, and the number of prosecutions rose.",
    "MS-SEN-2017-NOTE-5": "A centre for child victims of forced begging was opened in Dakar, with psychosocial and school support.",
    "MS-SEN-2017-NOTE-6": "The means devoted to the reintegration of talibé children remain insufficient, and the follow-up of repatriated children is still weak.",
    "MS-SEN-2017-NOTE-7": "The political declaration should encourage regional cooperation in West Africa for the repatriation and reintegration of child victims.",
    "SLG-CAMINOS-2": "Caminos Libres - survivors' network",
    "SLG-CAMINOS-5": "Our survivor group accompanies victims through criminal proceedings; this good practice has reduced the number of cases abandoned and could be replicated in other countries.",
    "SLG-CAMINOS-6": "Victims still do not receive free legal aid, and many still have no access to reparation.",
    "SLG-CAMINOS-7": "Prosecutors lack training on trafficking for labour exploitation, and few cases end in a conviction.",
    "SLG-CAMINOS-8": "States should guarantee that survivor organisations take part in designing assistance services.",
    "SLG-CAMINOS-9": "The declaration must recognise the principle that victims are not punished for offences they were compelled to commit.",
}
