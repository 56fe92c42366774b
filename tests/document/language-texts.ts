// Real paragraphs in the languages language detection must tell apart, for its tests.
//
// Every text is in the public domain: literature whose authors died more than 70 years ago
// (Project Gutenberg editions, numbers given), or statutes and constitutions, which the law of
// their own country leaves outside copyright (German UrhG §5, French CPI practice for official
// acts, Spanish LPI art. 13, Portuguese CDADC art. 7, Dutch Auteurswet art. 11, Danish
// ophavsretsloven §9, Norwegian åndsverkloven §14, Swedish upphovsrättslagen 9 §). They are
// written out here from those public texts, not copied from a file: a few are shortened by a
// clause or a list item (the Dutch article 1, the Danish § 2, the Norwegian § 3), old spellings
// are kept where the edition has them, and line breaks are this file's.

/** Jules Verne, *Le Tour du monde en quatre-vingts jours* (1872), ch. I; Project Gutenberg #800. */
export const frenchVerne =
  "Phileas Fogg demeurait, en 1872, au numéro 7 de Saville-row, Burlington Gardens, la maison dans laquelle Sheridan mourut en 1814. " +
  "C'était un des membres les plus singuliers et les plus remarqués du Reform-Club de Londres, bien qu'il semblât prendre à tâche de ne rien faire qui pût attirer l'attention. " +
  "À l'un des plus grands orateurs qui honorent l'Angleterre, succédait donc ce Phileas Fogg, personnage énigmatique, dont on ne savait rien, sinon que c'était un fort galant homme et l'un des plus beaux gentlemen de la haute société anglaise.";

/** *Déclaration des droits de l'homme et du citoyen* (1789), articles 1 to 4. */
export const frenchDeclaration = [
  "Les hommes naissent et demeurent libres et égaux en droits. Les distinctions sociales ne peuvent être fondées que sur l'utilité commune.",
  "Le but de toute association politique est la conservation des droits naturels et imprescriptibles de l'Homme. Ces droits sont la liberté, la propriété, la sûreté, et la résistance à l'oppression.",
  "Le principe de toute Souveraineté réside essentiellement dans la Nation. Nul corps, nul individu ne peut exercer d'autorité qui n'en émane expressément.",
  "La liberté consiste à pouvoir faire tout ce qui ne nuit pas à autrui : ainsi, l'exercice des droits naturels de chaque homme n'a de bornes que celles qui assurent aux autres Membres de la Société la jouissance de ces mêmes droits. Ces bornes ne peuvent être déterminées que par la Loi.",
] as const;

/** Franz Kafka, *Die Verwandlung* (1915), the first two paragraphs; Project Gutenberg #22367. */
export const germanKafka = [
  "Als Gregor Samsa eines Morgens aus unruhigen Träumen erwachte, fand er sich in seinem Bett zu einem ungeheueren Ungeziefer verwandelt. Er lag auf seinem panzerartig harten Rücken und sah, wenn er den Kopf ein wenig hob, seinen gewölbten, braunen, von bogenförmigen Versteifungen geteilten Bauch, auf dessen Höhe sich die Bettdecke, zum gänzlichen Niedergleiten bereit, kaum noch erhalten konnte. Seine vielen, im Vergleich zu seinem sonstigen Umfang kläglich dünnen Beine flimmerten ihm hilflos vor den Augen.",
  "»Was ist mit mir geschehen?« dachte er. Es war kein Traum. Sein Zimmer, ein richtiges, nur etwas zu kleines Menschenzimmer, lag ruhig zwischen den vier wohlbekannten Wänden. Über dem Tisch, auf dem eine auseinandergepackte Musterkollektion von Tuchwaren ausgebreitet war – Samsa war Reisender –, hing das Bild, das er vor kurzem aus einer illustrierten Zeitschrift ausgeschnitten und in einem hübschen, vergoldeten Rahmen untergebracht hatte.",
] as const;

/** Grundgesetz für die Bundesrepublik Deutschland, Art. 1 and 2. */
export const germanBasicLaw =
  "Die Würde des Menschen ist unantastbar. Sie zu achten und zu schützen ist Verpflichtung aller staatlichen Gewalt. " +
  "Das Deutsche Volk bekennt sich darum zu unverletzlichen und unveräußerlichen Menschenrechten als Grundlage jeder menschlichen Gemeinschaft, des Friedens und der Gerechtigkeit in der Welt. " +
  "Jeder hat das Recht auf die freie Entfaltung seiner Persönlichkeit, soweit er nicht die Rechte anderer verletzt und nicht gegen die verfassungsmäßige Ordnung oder das Sittengesetz verstößt.";

/** Miguel de Cervantes, *Don Quijote de la Mancha* (1605), ch. I; Project Gutenberg #2000. */
export const spanishQuijote =
  "En un lugar de la Mancha, de cuyo nombre no quiero acordarme, no ha mucho tiempo que vivía un hidalgo de los de lanza en astillero, adarga antigua, rocín flaco y galgo corredor. " +
  "Una olla de algo más vaca que carnero, salpicón las más noches, duelos y quebrantos los sábados, lantejas los viernes, algún palomino de añadidura los domingos, consumían las tres partes de su hacienda. " +
  "Tenía en su casa una ama que pasaba de los cuarenta, y una sobrina que no llegaba a los veinte, y un mozo de campo y plaza, que así ensillaba el rocín como tomaba la podadera.";

/** Constitución Española (1978), art. 1 and 3.1. */
export const spanishConstitution =
  "España se constituye en un Estado social y democrático de Derecho, que propugna como valores superiores de su ordenamiento jurídico la libertad, la justicia, la igualdad y el pluralismo político. " +
  "La soberanía nacional reside en el pueblo español, del que emanan los poderes del Estado. La forma política del Estado español es la Monarquía parlamentaria. " +
  "El castellano es la lengua española oficial del Estado. Todos los españoles tienen el deber de conocerla y el derecho a usarla.";

/** Machado de Assis, *Dom Casmurro* (1899), ch. I; Project Gutenberg #55752. */
export const portugueseCasmurro =
  "Uma noite destas, vindo da cidade para o Engenho Novo, encontrei no trem da Central um rapaz aqui do bairro, que eu conheço de vista e de chapéu. " +
  "Cumprimentou-me, sentou-se ao pé de mim, falou da lua e dos ministros, e acabou recitando-me versos. " +
  "A viagem era curta, e os versos pode ser que não fossem inteiramente maus. Sucedeu, porém, que, como eu estava cansado, fechei os olhos três ou quatro vezes; tanto bastou para que ele interrompesse a leitura e metesse os versos no bolso.";

/** Constituição da República Portuguesa (1976), art. 1 and 2. */
export const portugueseConstitution =
  "Portugal é uma República soberana, baseada na dignidade da pessoa humana e na vontade popular e empenhada na construção de uma sociedade livre, justa e solidária. " +
  "A República Portuguesa é um Estado de direito democrático, baseado na soberania popular, no pluralismo de expressão e organização política democráticas, no respeito e na garantia de efectivação dos direitos e liberdades fundamentais e na separação e interdependência de poderes.";

/** Estatut d'Autonomia de Catalunya (2006), art. 1, 2.1 and 6. */
export const catalanStatute =
  "Catalunya, com a nacionalitat, exerceix el seu autogovern constituïda en comunitat autònoma d'acord amb la Constitució i amb aquest Estatut, que és la seva norma institucional bàsica. " +
  "La Generalitat és el sistema institucional en què s'organitza políticament l'autogovern de Catalunya. " +
  "La llengua pròpia de Catalunya és el català. Com a tal, el català és la llengua d'ús normal i preferent de les administracions públiques i dels mitjans de comunicació públics de Catalunya, i és també la llengua normalment emprada com a vehicular i d'aprenentatge en l'ensenyament. " +
  "El català és la llengua oficial de Catalunya. També ho és el castellà, que és la llengua oficial de l'Estat espanyol.";

/** Grondwet voor het Koninkrijk der Nederlanden, art. 1, 6.1 and 7.1. */
export const dutchConstitution =
  "Allen die zich in Nederland bevinden, worden in gelijke gevallen gelijk behandeld. Discriminatie wegens godsdienst, levensovertuiging, politieke gezindheid, ras, geslacht of op welke grond dan ook, is niet toegestaan. " +
  "Ieder heeft het recht zijn godsdienst of levensovertuiging, individueel of in gemeenschap met anderen, vrij te belijden, behoudens ieders verantwoordelijkheid volgens de wet. " +
  "Niemand heeft voorafgaand verlof nodig om door de drukpers gedachten of gevoelens te openbaren, behoudens ieders verantwoordelijkheid volgens de wet.";

/** Multatuli, *Max Havelaar* (1860), ch. I; Project Gutenberg #11024. */
export const dutchHavelaar =
  "Ik ben makelaar in koffie, en woon op de Lauriergracht, No. 37. Het is mijn gewoonte niet, romans te schrijven, of zulke dingen, en het heeft dan ook lang geduurd, voor ik er toe overging een paar riem papier extra te bestellen, en het werk aan te vangen, dat gij, lieve lezer, zoo even in de hand hebt genomen.";

/** Danmarks Riges Grundlov (1953), § 1 to 4. */
export const danishConstitution =
  "Denne grundlov gælder for alle dele af Danmarks Rige. Regeringsformen er indskrænket-monarkisk. Kongemagten nedarves til mænd og kvinder efter de i tronfølgeloven fastsatte regler. " +
  "Den lovgivende magt er hos kongen og folketinget i forening. Den udøvende magt er hos kongen. Den dømmende magt er hos domstolene. " +
  "Den evangelisk-lutherske kirke er den danske folkekirke og understøttes som sådan af staten.";

/** H. C. Andersen, *Fyrtøiet* (1835), the opening, in the modern spelling of Danish school editions. */
export const danishAndersen =
  "Der kom en soldat marcherende hen ad landevejen: én, to! én, to! Han havde sit tornyster på ryggen og en sabel ved siden, for han havde været i krigen, og nu skulle han hjem. " +
  "Så mødte han en gammel heks på landevejen; hun var så ækel, hendes underlæbe hang hende lige ned på brystet. " +
  "Hun sagde: God aften, soldat! Hvor du har en pæn sabel og et stort tornyster, du er en rigtig soldat! Nu skal du få så mange penge, du vil eje!";

/** Kongeriket Norges Grunnlov, bokmål text of 2014, § 1 to 4 and 16. */
export const norwegianConstitution =
  "Kongeriket Norge er et fritt, selvstendig, udelelig og uavhendelig rike. Dets regjeringsform er innskrenket og arvelig monarkisk. " +
  "Verdigrunnlaget forblir vår kristne og humanistiske arv. Denne Grunnlov skal sikre demokratiet, rettsstaten og menneskerettighetene. " +
  "Den utøvende makt er hos Kongen, eller hos Dronningen hvis hun har ervervet kronen etter reglene i denne Grunnlov. Kongen skal alltid bekjenne seg til den evangelisk-lutherske religion. " +
  "Alle innbyggere i riket har fri religionsutøvelse. Den norske kirke, en evangelisk-luthersk kirke, forblir Norges folkekirke og understøttes som sådan av staten.";

/** Regeringsformen (1974), 1 kap. 1, 2 and 4 §§. */
export const swedishConstitution =
  "All offentlig makt i Sverige utgår från folket. Den svenska folkstyrelsen bygger på fri åsiktsbildning och på allmän och lika rösträtt. Den förverkligas genom ett representativt och parlamentariskt statsskick och genom kommunal självstyrelse. Den offentliga makten utövas under lagarna. " +
  "Den offentliga makten ska utövas med respekt för alla människors lika värde och för den enskilda människans frihet och värdighet. " +
  "Riksdagen är folkets främsta företrädare. Riksdagen stiftar lag, beslutar om skatt till staten och bestämmer hur statens medel ska användas.";

/** Lewis Carroll, *Alice's Adventures in Wonderland* (1865), ch. I; Project Gutenberg #11. */
export const englishAlice =
  "Alice was beginning to get very tired of sitting by her sister on the bank, and of having nothing to do: once or twice she had peeped into the book her sister was reading, but it had no pictures or conversations in it, “and what is the use of a book,” thought Alice “without pictures or conversations?” " +
  "So she was considering in her own mind (as well as she could, for the hot day made her feel very sleepy and stupid), whether the pleasure of making a daisy-chain would be worth the trouble of getting up and picking the daisies, when suddenly a White Rabbit with pink eyes ran close by her.";

/** Each language's texts, by the BCP 47 tag detection should give. */
export const textsByLanguage: Readonly<Record<string, readonly string[]>> = {
  fr: [frenchVerne, frenchDeclaration.join(" ")],
  de: [germanKafka.join(" "), germanBasicLaw],
  es: [spanishQuijote, spanishConstitution],
  pt: [portugueseCasmurro, portugueseConstitution],
  ca: [catalanStatute],
  nl: [dutchConstitution, dutchHavelaar],
  da: [danishConstitution, danishAndersen],
  nb: [norwegianConstitution],
  sv: [swedishConstitution],
  en: [englishAlice],
};
