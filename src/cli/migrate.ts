import { loadConfig } from "../config.js";
import { openStore } from "../store/index.js";

/** `copydesk migrate`: applies pending store migrations (also done by every command that opens the store). */
export const migrateCommand = async (options: { json?: boolean }) => {
  const store = await openStore(loadConfig(), { migrate: false });
  try {
    const report = await store.migrate();
    if (options.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return;
    }
    for (const step of report.applied) process.stdout.write(`applied ${step.version}: ${step.name}\n`);
    process.stdout.write(
      report.applied.length > 0
        ? `${report.backend} schema ${report.from} → ${report.to}\n`
        : `${report.backend} schema is up to date (version ${report.to})\n`,
    );
  } finally {
    await store.close();
  }
};
