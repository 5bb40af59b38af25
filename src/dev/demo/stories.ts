/**
 * The demo newsroom's stories, written for the demo (no third-party text). "The Harbour Ledger"
 * publishes them; "Newsdesk Digest" mirrors some of them on its own host.
 */
export interface DemoStory {
  slug: string;
  title: string;
  standfirst: string;
  author: string;
  section: string;
  publishedAt: string;
  paragraphs: string[];
  /** Only a teaser is served, and the page declares isAccessibleForFree=false. */
  paywalled?: boolean;
  /** The page is rewritten every `changesEveryMs`: a new revision at each poll that sees it. */
  changing?: boolean;
}

export const DEMO_STORIES: DemoStory[] = [
  {
    slug: "harbour-bridge-repairs-finish-early",
    title: "Harbour bridge repairs finish three weeks early",
    standfirst:
      "Crews reopened the eastern lanes on Sunday night after a dry month let them pour the last deck sections ahead of plan.",
    author: "Mara Quinlan",
    section: "City",
    publishedAt: "2025-06-02T06:30:00Z",
    paragraphs: [
      "The eastern lanes of the harbour bridge reopened to traffic late on Sunday, three weeks ahead of the schedule the council published in March.",
      "Site manager Tomas Reyes said an unusually dry May allowed crews to pour the final deck sections without the weather pauses they had budgeted for.",
      "Commuters had faced detours of up to twenty minutes since the work began, and local businesses on the waterfront reported a drop in passing trade.",
      "The council said the project came in under budget and that the savings would go towards resurfacing the approach roads later in the year.",
      "A second stage of works, covering the pedestrian walkway, is due to start in September and will not close any traffic lanes.",
    ],
  },
  {
    slug: "library-opens-night-reading-room",
    title: "Central library opens a night reading room",
    standfirst:
      "The trial keeps one floor open until midnight on weekdays, staffed by volunteers and two librarians.",
    author: "Devi Anand",
    section: "Community",
    publishedAt: "2025-06-03T09:00:00Z",
    paragraphs: [
      "The central library will keep its second floor open until midnight on weekdays for the next three months, in a trial announced on Tuesday.",
      "Head librarian Ruth Okafor said students and shift workers had asked for quiet space in the evenings for years.",
      "The room will be staffed by two librarians and a roster of volunteers, and the building's cafe will stay open until ten.",
      "If the trial draws more than a hundred visitors a night on average, the library will ask the council to fund it permanently.",
      "Borrowing and returns will be available at the self-service machines throughout the extended hours.",
    ],
  },
  {
    slug: "ferry-timetable-adds-dawn-service",
    title: "Ferry timetable adds a dawn service from the north shore",
    standfirst:
      "A 5:40am crossing starts next month after a petition signed by more than two thousand commuters.",
    author: "Ilya Brandt",
    section: "Transport",
    publishedAt: "2025-06-04T05:15:00Z",
    paragraphs: [
      "A new dawn ferry from the north shore will leave at 5:40am on weekdays from the first of next month, the transport authority said.",
      "The change follows a petition signed by more than two thousand commuters, many of them hospital and port workers who start before seven.",
      "The authority said the service would run for a six-month trial and that ridership figures would be published every quarter.",
      "Bus connections at the city terminal will be adjusted so that the first buses meet the new arrival time.",
      "Fares on the dawn service will be the same as the off-peak fare, a decision the commuter group welcomed.",
    ],
  },
  {
    slug: "market-hall-wins-heritage-award",
    title: "Old market hall wins a national heritage award",
    standfirst:
      "Judges praised the restoration for keeping the original iron roof while adding solar panels out of sight.",
    author: "Mara Quinlan",
    section: "Culture",
    publishedAt: "2025-06-05T11:45:00Z",
    paragraphs: [
      "The restored market hall on Quay Street has won this year's national heritage award for adaptive reuse.",
      "Judges said the project kept the hall's original cast-iron roof trusses while fitting solar panels on the hidden inner slopes.",
      "The hall reopened last spring with forty stalls, a teaching kitchen and a small museum of the port's trading history.",
      "Architect Lena Varga said the team spent a year cataloguing every original bolt before any work began.",
      "The award comes with a grant that the trust says will pay for a new accessible entrance on the north side.",
    ],
  },
  {
    slug: "inside-the-port-expansion-deal",
    title: "Inside the port expansion deal",
    standfirst: "Documents show how the operator and the council split the cost of the new container berth.",
    author: "Ilya Brandt",
    section: "Business",
    publishedAt: "2025-06-05T18:00:00Z",
    paragraphs: [
      "Documents seen by the Ledger show that the council agreed to cover a third of the cost of the new container berth, far more than it has said in public.",
      "The agreement was signed in February after eight months of negotiation between the port operator and the council's finance committee.",
      "Subscribers can read the full investigation, including the side letters that set out who carries the risk if freight volumes fall.",
      "The operator declined to comment on the figures, saying the agreement was commercially confidential.",
    ],
    paywalled: true,
  },
  {
    slug: "storm-warning-live-updates",
    title: "Storm warning: live updates",
    standfirst: "The weather bureau has issued a severe wind warning for the coast from this afternoon.",
    author: "Devi Anand",
    section: "Weather",
    publishedAt: "2025-06-06T07:00:00Z",
    paragraphs: [
      "The weather bureau issued a severe wind warning for the coast on Friday morning, with gusts of up to ninety kilometres an hour expected by evening.",
      "Ferry services may be cancelled at short notice, and the harbour master has asked small boats to stay in port.",
      "Residents are asked to tie down loose objects in their yards and to avoid parking under trees.",
      "Emergency services said they had extra crews on standby across the northern suburbs.",
    ],
    changing: true,
  },
];

/** The update paragraph of the changing story at one version. */
export function liveUpdate(version: number): string {
  if (version === 0)
    return "No damage has been reported so far, the bureau said in its first update of the day.";
  return `Update ${version}: the bureau revised its forecast again, with gusts now expected to peak ${version * 10} minutes later than first announced, and crews reporting fallen branches in ${version + 1} suburbs.`;
}

/** Stories that Newsdesk Digest mirrors on its listing page. */
export const MIRRORED_SLUGS = [
  "harbour-bridge-repairs-finish-early",
  "ferry-timetable-adds-dawn-service",
  "market-hall-wins-heritage-award",
];
