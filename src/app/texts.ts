import type { HoldEventType } from '../hold/types.ts';
import type { SampleOutcome } from './sample-send.ts';
import { de } from './texts-de.ts';
import { ru } from './texts-ru.ts';

export { interpolate } from '../i18n/messages.ts';

/**
 * The app page's texts in the portal's language (English, Russian, German; English otherwise).
 * `{name}` marks a value filled in. Validation details stay in English: they are the very lines a
 * worker frame logs, so an admin can search the browser console for them.
 */

const en = {
  code: 'en',
  title: 'Hold relay',
  lead: 'Relays the call card’s Hold button to the outputs below: the card’s own status text, the browser console, your PBX or any receiver.',
  roleAdmin: 'Administrator',
  roleReader: 'Read only',
  loading: 'Loading…',

  installTitle: 'Install Hold relay',
  installLead: 'Hold relay needs a background worker that Bitrix24 loads, unseen, on every page of the users it is registered for. It sees the call card’s Hold clicks and relays them.',
  installNotAdmin: 'Only a Bitrix24 administrator can finish installing this app. Ask your administrator to open it.',
  installButton: 'Install',
  installRetry: 'Try again',
  installRunning: 'Installing…',
  installDone: 'Installed. Bitrix24 now opens the settings.',
  installFailed: 'The installation stopped. Fix the cause above and try again: running it again is safe.',
  stepsTitle: 'Steps',
  stepWorker: 'Register the background worker',
  stepConfig: 'Write a default configuration',
  stepEvents: 'Let this server act in the portal',
  stepEventsDone: 'Bitrix24 gives this server the app’s own access once the installation finishes, and tells it when the app is uninstalled.',
  stepEventsSkipped: 'Skipped: this server has no B24_CLIENT_ID and B24_CLIENT_SECRET, so it cannot act in the portal on its own (alerts, a worker registration that heals itself, cleanup on uninstall). Set them and install again.',
  stepFinish: 'Finish the installation',
  stepWorkerDone: 'Registered for {who}.',
  stepWorkerReplaced: 'An earlier registration was replaced; now registered for {who}.',
  stepConfigDone: 'Log and call card outputs, and hold statistics where this server keeps them: change them in the settings.',
  stepConfigKept: 'A configuration exists already and was kept.',
  stepFinishDone: 'Bitrix24 was told the app is installed.',
  stepFailed: 'Failed: {reason}',
  everyUser: 'every user',
  theseUsers: 'users {ids}',

  scopeLegend: 'Load the background worker for',
  scopeEveryone: 'Every user',
  scopeEveryoneHint: 'Simplest; the worker is small, but it loads on every page of every user.',
  scopeUsers: 'Only these operators',
  scopeUsersHint: 'Users who do not take calls never load it.',
  scopeUserIds: 'User IDs',
  scopeUserIdsHint: 'Numbers separated by commas, e.g. 7, 12. A user’s ID is in their profile address (/company/personal/user/7/).',
  scopeUserIdsInvalid: 'Enter one or more user IDs: whole numbers separated by commas.',
  scopePick: 'Choose users…',

  accessTitle: 'This server in the portal',
  accessNotConfigured: 'This server has no B24_CLIENT_ID and B24_CLIENT_SECRET, so it cannot act in the portal on its own: no alerts, no registration that heals itself, no cleanup when the app is uninstalled. Set both (the local app’s Application ID and key) on the server, restart it, and install the app again.',
  accessNotInstalled: 'This server holds no credentials for this portal yet. Install the app again (Bitrix24 then sends them to the server), with B24_CLIENT_ID and B24_CLIENT_SECRET set on the server.',
  accessInstalled: 'Holds the portal’s credentials since {installed}; last renewed {renewed}.',
  accessRenewalFailed: 'The OAuth server refused this portal’s refresh token ({error}) on {at}: the server cannot act here until the app is installed again.',
  accessRegistration: 'Worker registration, last checked {at}: {outcome}',
  accessOutcomePresent: 'in place.',
  accessOutcomeRebound: 'it was gone and the server bound it again ({detail}).',
  accessOutcomeFailed: 'the check failed: {detail}',
  accessNeverChecked: 'Worker registration: not checked yet (daily, and after each notice from Bitrix24).',
  accessRestLog: 'The server’s REST calls (3 days)',
  accessRestLogEmpty: 'No REST calls in the last 3 days.',
  accessUnavailable: 'The server did not say: {reason}',
  workerTitle: 'Background worker',
  workerEveryone: 'Registered for every user.',
  workerUsers: 'Registered for users {ids}.',
  workerMissing: 'Not registered: Bitrix24 does not load the worker, so no hold is relayed. Register it below.',
  workerElsewhere: 'It points to {handler}, not to this server ({expected}).',
  workerNoErrorHandler: 'Bitrix24 will not tell this server when it switches the worker off: register it again.',
  workerHandler: 'Worker address:',
  workerUnknown: 'Could not read the registration: {reason}',
  workerAdminOnly: 'Only administrators can see and change the worker’s registration.',
  registerAgainTitle: 'Register again',
  reregister: 'Register the worker again',
  registering: 'Registering…',
  registered: 'Registered.',
  registerFailed: 'Not registered: {reason}',
  noticesTitle: 'Notices from Bitrix24',
  noticesNone: 'None: Bitrix24 has not switched the worker off.',
  noticesHint: 'Bitrix24 switches the worker off when it loads too slowly too often. Register it again once the cause is fixed.',
  noticeUnverified: 'unverified',
  noticeUnverifiedHint: 'Anyone can post a notice naming this portal, and the server cannot tell whether Bitrix24 sent it. Before acting on one, check above that the worker is really switched off.',

  outputsTitle: 'Outputs',
  outputsLead: 'Each hold event goes to every enabled output below. An invalid output is switched off alone; the others keep working.',
  readOnly: 'Only Bitrix24 administrators can change the configuration; you see it read only.',
  noOptionYet: 'No configuration is saved yet: worker frames use the log output only.',
  noOutputs: 'No outputs: hold events are not relayed anywhere.',
  viewLabel: 'Edit as',
  viewForm: 'Form',
  viewJson: 'JSON',
  jsonLabel: 'The holdRelay option (JSON)',
  jsonHint: 'The option exactly as it is stored; the form shows the same.',
  cannotForm: 'The form cannot show this configuration ({reason}). Fix it in JSON.',
  notJson: 'is not valid JSON ({why})',
  enabled: 'Enabled',
  moveUp: 'Move output {n} up',
  moveDown: 'Move output {n} down',
  remove: 'Remove output {n} ({name})',
  addLabel: 'Add an output',
  addButton: 'Add',
  eventsLegend: 'Events',
  keptKeys: 'Also kept as they are: {keys} (see JSON).',
  unknownTypeHint: 'Not a type this app knows: worker frames switch it off. Remove it, or fix it in JSON.',
  generateSecret: 'Generate',
  issuesTitle: 'Not saved: {n} problem(s) to fix',
  save: 'Save',
  saving: 'Saving…',
  saved: 'Saved. Worker frames opened from now on use it; pages already open keep the previous configuration until they are reloaded.',
  notSaved: 'Not saved: fix the marked fields.',
  saveRefused: 'Bitrix24 refused to save it: {reason}',
  sendTest: 'Send test event',
  testRunning: 'Sending a test event…',
  testDone: 'Test event sent. Nothing was saved.',
  testBlocked: 'Fix the marked fields before sending a test event.',
  testNothing: 'No output is enabled.',
  testCaption: 'Test event (hold.started, id evt_test_…, callId test-…)',
  colOutput: 'Output',
  colResult: 'Result',

  activityTitle: 'In this browser',
  activityLead: 'What the worker frames in this browser did, while this page is open.',
  eventsTitle: 'Recent events',
  eventsNone: 'None yet. They appear here while calls are put on hold in this browser.',
  eventsNeedBroadcast: 'Add a broadcast output to see this browser’s hold events here.',
  queueTitle: 'Webhook deliveries waiting',
  queueNoWebhooks: 'No webhook output is configured.',
  queueNoStorage: 'This browser gives the app no shared storage: each worker frame keeps its own queue in memory, out of sight.',
  queueEmpty: 'nothing waiting',
  queueWaiting: '{n} event(s) waiting',
  queueLastError: 'Last error: {error}; next try at {at}.',
  colTime: 'Time',
  colEvent: 'Event',
  colCall: 'Call',
  colHeld: 'Hold',

  // Names, hints and labels of the outputs and their fields come in English from each output's
  // definition (src/outputs); a language below translates the ones it knows.
  typeNames: {} as Record<string, string>,
  typeHints: {} as Record<string, string>,
  fieldLabels: {} as Record<string, string>,
  fieldHints: {} as Record<string, string>,
  eventNames: {
    'hold.started': 'Hold started',
    'hold.ended': 'Hold ended',
    'hold.failed': 'Hold failed',
    'call.summary': 'Call summary',
  } as Record<HoldEventType, string>,
  outcomes: {
    delivered: 'Delivered',
    sent: 'Sent',
    described: 'Not run',
    failed: 'Failed',
    skipped: 'Not run',
  } as Record<SampleOutcome, string>,
  testNotes: {
    server: 'Not sent: a test event would count in the hold statistics.',
    invalid: '{message}',
    unknownType: 'Unknown type {type}.',
    error: '{message}',
    callCard: 'Shows in the operator’s call card during a call; there is none here.',
    rest: 'Not called, as it would change data in Bitrix24. It would call {method} with {params}.',
    webhook: 'The receiver accepted it (2xx) in {ms} ms.',
    refused: 'The receiver did not accept it: {reason}.',
    broadcast: 'Posted on channel {channel}.',
    log: 'Written to this page’s browser console.',
    sent: 'Sent.',
  } as Record<string, string>,
};

export type Texts = typeof en;

const LANGUAGES: Record<string, Texts> = { en, ru, de };

/** Texts for a portal language code; English when the language is not translated. */
export function textsFor(lang: string): Texts {
  return LANGUAGES[lang.toLowerCase()] ?? en;
}

/** The worker's title and description per language, as placement.bind takes them (LANG_ALL). */
export const WORKER_TITLES: Record<string, { TITLE: string; DESCRIPTION: string }> = {
  en: { TITLE: 'Hold relay', DESCRIPTION: 'Relays call card hold clicks to the configured outputs' },
  ru: { TITLE: 'Hold relay', DESCRIPTION: 'Передаёт нажатия «Удержания» в карточке звонка в настроенные выходы' },
  de: { TITLE: 'Hold relay', DESCRIPTION: 'Leitet Halten-Klicks der Anrufkarte an die konfigurierten Ausgaben weiter' },
};
