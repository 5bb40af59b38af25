/**
 * Words newspapers, magazines, broadcasters, portals and agencies name themselves with, in the
 * languages the registry covers ("Harbour Gazette", "Sioux Falls Argus Leader", "Kieler
 * Nachrichten"): they tell an outlet's name from a person's that is spelt the same way.
 */
export const OUTLET_WORDS =
  /(?<![\p{L}\p{N}])(?:gazette|times|herald|tribune|journal|chronicle|post|daily|courier|observer|review|weekly|blog|report|today|express|mirror|star|sun|telegraph|standard|independent|guardian|monitor|world|insider|digest|live|tv|radio|television|network|news|newswire|press|wire|agency|media|magazine|portal|bulletin|dispatch|enquirer|inquirer|globe|sentinel|ledger|statesman|leader|citizen|record|register|examiner|mail|kurier|zeitung|anzeiger|presse|nachrichten|tagblatt|rundschau|gazzetta|corriere|giornale|diario|periódico|noticias|jornal|folha|nouvelles|courrier|quotidien|hebdo|krant|dagblad|avis|tidning|tidende|posten)(?![\p{L}\p{N}])/iu;
