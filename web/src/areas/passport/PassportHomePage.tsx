import { EmptyState } from '../../components/EmptyState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useMe } from '../../session/SessionContext.tsx';

export function PassportHomePage() {
  const me = useMe();
  return (
    <>
      <PageHeader title="My CME passport" subtitle={me.user?.displayName} />
      <section aria-labelledby="passport-credits">
        <h2 id="passport-credits">Credits and transcripts</h2>
        <EmptyState title="No credits yet">
          <p>
            Your credits and transcripts will appear here: every completion an accredited provider reports for you,
            for every license you hold, and transcripts you can share and anyone can verify.
          </p>
        </EmptyState>
      </section>
    </>
  );
}
