// The console's frame: sign-in gate, navigation, and the page for the current route.
import { useEffect, useState } from 'preact/hooks';
import { setUnauthorizedHandler } from './api';
import { AlertPage } from './alerts/AlertPage';
import { AlertsPage } from './alerts/AlertsPage';
import { AuditPage } from './audit/AuditPage';
import { GroupPage, GroupsPage } from './groups/GroupsPage';
import { OverviewPage } from './overview/OverviewPage';
import { SilencesPage } from './silences/SilencesPage';
import { DestinationFormPage } from './destinations/DestinationForm';
import { DestinationsPage } from './destinations/DestinationsPage';
import { href, useRoute, type Route } from './router';
import { RuleFormPage } from './rules/RuleForm';
import { RulesPage } from './rules/RulesPage';
import { portal } from './portal';
import { session } from './session';
import { SignIn } from './SignIn';

const SECTIONS = [
  ['overview', 'Overview'],
  ['destinations', 'Destinations'],
  ['rules', 'Rules'],
  ['alerts', 'Alerts'],
  ['groups', 'Groups'],
  ['silences', 'Silences'],
  ['audit', 'Audit log'],
] as const;
/** What a portal link's customer sees (console/src/portal.ts). */
const PORTAL_SECTIONS = SECTIONS.filter(([path]) => path === 'destinations' || path === 'rules' || path === 'alerts');

export function App() {
  if (portal) return <Portal />;
  const [signedIn, setSignedIn] = useState(() => session.get() !== null);
  const [reason, setReason] = useState<string>();
  const route = useRoute();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      session.clear();
      setReason('Herald no longer accepts the key; sign in again.');
      setSignedIn(false);
    });
  }, []);
  const section = route.parts[0] ?? 'overview';

  return (
    <>
      <header>
        <h1>Herald</h1>
        {signedIn && (
          <nav aria-label="Sections">
            {SECTIONS.map(([path, label]) => (
              <a key={path} href={href(`/${path}`)} aria-current={section === path ? 'page' : undefined}>
                {label}
              </a>
            ))}
            <a href="/docs">API docs</a>
            <button
              type="button"
              onClick={() => {
                session.clear();
                setReason(undefined);
                setSignedIn(false);
              }}
            >
              Sign out
            </button>
          </nav>
        )}
      </header>
      {signedIn ? <Page route={route} /> : <SignIn reason={reason} onSignedIn={() => setSignedIn(true)} />}
    </>
  );
}

/** The console for one tenant's customer: its destinations, rules and alerts, no sign-in form and no sign-out. */
function Portal() {
  const [signedIn, setSignedIn] = useState(() => session.get() !== null);
  const route = useRoute();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      session.clear();
      setSignedIn(false);
    });
  }, []);
  const section = route.parts[0] ?? 'destinations';
  const logo = portal?.theme?.logo_url;
  return (
    <>
      <header class="portal">
        {logo ? <img class="logo" src={logo} alt="" /> : <h1>Alerts</h1>}
        {signedIn && (
          <nav aria-label="Sections">
            {PORTAL_SECTIONS.map(([path, label]) => (
              <a key={path} href={href(`/${path}`)} aria-current={section === path ? 'page' : undefined}>
                {label}
              </a>
            ))}
          </nav>
        )}
      </header>
      {signedIn && PORTAL_SECTIONS.some(([path]) => path === section) ? (
        <Page route={route} />
      ) : signedIn ? (
        <main>
          <p>
            No such page. <a href={href('/destinations')}>Go to destinations</a>.
          </p>
        </main>
      ) : (
        <main>
          <p role="alert">This link has expired or is not valid. Ask for a new one.</p>
        </main>
      )}
    </>
  );
}

function Page({ route }: { route: Route }) {
  const [section = 'overview', id] = route.parts;
  const isNew = id === 'new';
  switch (section) {
    case 'overview':
      return <OverviewPage route={route} />;
    case 'destinations':
      return id ? <DestinationFormPage id={isNew ? undefined : id} /> : <DestinationsPage />;
    case 'rules':
      return id ? <RuleFormPage id={isNew ? undefined : id} /> : <RulesPage />;
    case 'alerts':
      return id ? <AlertPage id={id} /> : <AlertsPage route={route} />;
    case 'groups':
      return id ? <GroupPage id={id} /> : <GroupsPage />;
    case 'silences':
      return <SilencesPage />;
    case 'audit':
      return <AuditPage />;
    default:
      return (
        <main>
          <p>
            No such page. <a href={href('/destinations')}>Go to destinations</a>.
          </p>
        </main>
      );
  }
}
