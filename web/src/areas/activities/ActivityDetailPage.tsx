import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useForm } from '../../components/useForm.ts';
import { formatDate, formatDateTime } from '../../format.ts';
import { useApi } from '../../hooks/useApi.ts';
import { activitiesApi, type ActivityDetail, type ActivityStatus, type ActivityVocabulary, type HistoryEntry } from './activitiesApi.ts';
import { activityDates, hubToday } from './dates.ts';
import { labelOf, StatusTag, statusLabels, useVocabulary } from './vocabulary.tsx';
import './activities.css';

const moveLabels: Record<ActivityStatus, string> = {
  draft: 'Back to draft',
  active: 'Activate',
  ready_to_close: 'Mark ready to close',
  closed: 'Close activity',
};

/**
 * The activity and its history, loaded together so that after a change the status and the history entry
 * about it appear at once. A history that fails to load leaves the rest of the page usable.
 */
async function loadActivity(activityId: string, signal: AbortSignal) {
  const [detail, history] = await Promise.all([
    activitiesApi.get(activityId, signal),
    activitiesApi.history(activityId, signal).then(
      (answer) => ({ entries: answer.items, error: undefined }),
      (error: unknown) => ({ entries: undefined, error }),
    ),
  ]);
  return { detail, history };
}

export function ActivityDetailPage() {
  const { activityId = '' } = useParams();
  const location = useLocation();
  const activity = useApi((signal) => loadActivity(activityId, signal), [activityId]);
  const vocabulary = useVocabulary();
  const [notice, setNotice] = useState<string | undefined>((location.state as { notice?: string } | null)?.notice);

  if (activity.error || vocabulary.error) {
    return (
      <>
        <PageHeader title="Activity" subtitle={<Link to="/activities">Back to activities</Link>} />
        <ErrorBanner error={activity.error ?? vocabulary.error} />
      </>
    );
  }
  if (!activity.data || !vocabulary.data) return <Loading label="Loading the activity…" />;
  const { detail: current, history } = activity.data;
  const changed = (message: string) => {
    setNotice(message);
    activity.reload();
  };

  return (
    <>
      <PageHeader
        title={current.title}
        subtitle={
          <>
            <Link to="/activities">Activities</Link> · Hub activity ID <code>{current.id}</code> · Your ID {current.providerActivityId}
          </>
        }
        actions={
          current.status !== 'closed' ? (
            <Link className="button" to={`/activities/${current.id}/edit`}>
              Edit
            </Link>
          ) : undefined
        }
      />
      {notice ? <StatusMessage>{notice}</StatusMessage> : null}
      <StatusPanel activity={current} onChanged={changed} />
      <Summary activity={current} vocabulary={vocabulary.data} />
      <CopyPanel activity={current} />
      <Section title="History">
        {history.entries ? <History entries={history.entries} /> : <ErrorBanner error={history.error} />}
      </Section>
    </>
  );
}

function StatusPanel({ activity, onChanged }: { activity: ActivityDetail; onChanged: (message: string) => void }) {
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('');

  async function act(run: () => Promise<unknown>, message: string) {
    setBusy(true);
    setError(undefined);
    try {
      await run();
      setReason('');
      onChanged(message);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  const closeBlockedHint =
    activity.status !== 'closed' && !activity.allowedStatusChanges.includes('closed') && activity.endDate < hubToday()
      ? 'To close the activity, add its year-end data with Edit: outcomes, commercial support and learner counts.'
      : null;

  return (
    <section className="section" aria-labelledby="activity-status">
      <h2 id="activity-status">
        Status: <StatusTag status={activity.status} />
      </h2>
      <ErrorBanner error={error} title="The status was not changed" />
      {activity.status === 'closed' ? (
        <form
          className="form form--narrow"
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            void act(() => activitiesApi.reopen(activity.id, reason), 'The activity was reopened.');
          }}
        >
          <p>A closed activity takes no changes and no learner reports. Reopening it is recorded with your reason.</p>
          <TextField label="Why reopen it?" value={reason} onChange={(event) => setReason(event.target.value)} />
          <div className="form__actions">
            <button type="submit" className="button button--secondary" disabled={busy}>
              Reopen activity
            </button>
          </div>
        </form>
      ) : (
        <div className="activity-actions">
          {activity.allowedStatusChanges.map((status) => (
            <button
              key={status}
              type="button"
              className={status === 'draft' ? 'button button--secondary' : 'button'}
              disabled={busy}
              onClick={() => void act(() => activitiesApi.changeStatus(activity.id, status), `The activity is now ${statusLabels[status].toLowerCase()}.`)}
            >
              {moveLabels[status]}
            </button>
          ))}
          {activity.learnerReportCount === 0 ? (
            <ConfirmButton
              label="Delete"
              question={`Delete "${activity.title}"? Its hub activity ID is not used again.`}
              confirmLabel="Delete activity"
              onConfirm={async () => {
                await activitiesApi.remove(activity.id);
                navigate('/activities', { state: { notice: 'The activity was deleted.' } });
              }}
            />
          ) : (
            <span className="muted">
              {activity.learnerReportCount} learner report{activity.learnerReportCount === 1 ? '' : 's'}: it cannot be deleted.
            </span>
          )}
        </div>
      )}
      {closeBlockedHint ? <p className="muted">{closeBlockedHint}</p> : null}
    </section>
  );
}

function Summary({ activity, vocabulary }: { activity: ActivityDetail; vocabulary: ActivityVocabulary }) {
  const item = (term: string, value: ReactNode) => (
    <div key={term}>
      <dt>{term}</dt>
      <dd>{value === null || value === undefined || value === '' ? '—' : value}</dd>
    </div>
  );
  const creditLabel = (code: string) => labelOf(vocabulary.creditTypes, code);
  const support = activity.commercialSupport;
  return (
    <Section title="Details">
      <dl className="details">
        {item('Type', `${labelOf(vocabulary.types, activity.type)} (${activity.type})`)}
        {item('Delivery', labelOf(vocabulary.deliveryMethods, activity.deliveryMethod))}
        {item('Dates', activityDates(activity))}
        {item('Location', activity.location ? [activity.location.city, activity.location.state, activity.location.country].filter(Boolean).join(', ') : null)}
        {item('Providership', labelOf(vocabulary.providerships, activity.providership))}
        {activity.providership === 'joint' ? item('Joint providers', activity.jointProviders.join('; ')) : null}
        {item('Credits', activity.credits.map((credit) => `${credit.amount} ${creditLabel(credit.type)}`).join('; '))}
        {item(
          'MOC',
          activity.mocRegistrations
            .map((registration) => `${registration.board}: ${registration.points} points (${registration.creditTypes.join(', ')})${registration.claimDate ? `, claim by ${formatDate(registration.claimDate)}` : ''}`)
            .join('; '),
        )}
        {item('Topics', activity.topics.map((topic) => labelOf(vocabulary.topics, topic)).join('; '))}
        {item('Specialties', activity.specialties.join('; '))}
        {item('FDA REMS', activity.rems ? labelOf(vocabulary.remsPrograms, activity.rems.program) : null)}
        {item('MIPS improvement activity', activity.mipsImprovementActivity ? 'Yes' : 'No')}
        {item('Public catalog', activity.catalog.listed ? activity.catalog.url : 'Not listed')}
        {item(
          'Commercial support',
          support
            ? support.received
              ? support.sources.map((source) => `${source.name}${source.amount ? ` $${source.amount.toLocaleString()}` : ''}${source.inKind ? ' (in-kind)' : ''}`).join('; ') || 'Yes'
              : 'None'
            : null,
        )}
        {item('Physician learners', activity.learners.physicians)}
        {item('Other learners', activity.learners.others)}
        {item(
          'Outcomes measured',
          activity.outcomes.map((outcome) => `${labelOf(vocabulary.outcomes, outcome.outcome)} (${outcome.measurements.join(', ')})`).join('; '),
        )}
        {item('Learner reports', activity.learnerReportCount)}
      </dl>
      {activity.description ? <p>{activity.description}</p> : null}
    </Section>
  );
}

function CopyPanel({ activity }: { activity: ActivityDetail }) {
  const navigate = useNavigate();
  const form = useForm({ providerActivityId: '', startDate: '' });

  function submit(event: FormEvent<HTMLFormElement>) {
    const { providerActivityId, startDate } = form.values;
    return form.submit(event, {
      send: async () => {
        const copy = await activitiesApi.copy(activity.id, { providerActivityId, startDate: startDate || undefined });
        navigate(`/activities/${copy.id}`, { state: { notice: `A new draft was made from ${activity.providerActivityId}. Check its dates and details.` } });
      },
    });
  }

  return (
    <Section title="Repeat this activity">
      <p className="muted">Makes a new draft with the same details; year-end data is left behind and the dates move with the start date.</p>
      <form className="form form--narrow" onSubmit={(event) => void submit(event)}>
        <ErrorBanner ref={form.errorRef} error={form.error} title="The copy was not made" fields={['providerActivityId', 'startDate']} />
        <div className="form__row">
          <TextField label="New provider activity ID" {...form.field('providerActivityId')} />
          <TextField label="New start date" optional type="date" {...form.field('startDate')} />
        </div>
        <FormActions label="Copy as new draft" busyLabel="Copying…" busy={form.submitting} variant="secondary" />
      </form>
    </Section>
  );
}

const actionLabels: Record<string, string> = {
  'activity.create': 'Created',
  'activity.update': 'Changed',
  'activity.close': 'Closed',
  'activity.reopen': 'Reopened',
  'activity.copy': 'Created as a copy',
};

function History({ entries }: { entries: HistoryEntry[] }) {
  if (entries.length === 0) return <p className="muted">Nothing recorded yet.</p>;
  return (
    <ol className="activity-history">
      {entries.map((entry, index) => {
        const details = entry.details ?? {};
        const parts: string[] = [];
        if (Array.isArray(details.changed) && details.changed.length) parts.push(`fields: ${details.changed.join(', ')}`);
        if (typeof details.statusTo === 'string') parts.push(`status ${statusLabels[String(details.statusFrom)] ?? 'new'} → ${statusLabels[details.statusTo] ?? details.statusTo}`);
        if (typeof details.reason === 'string') parts.push(`reason: ${details.reason}`);
        if (typeof details.copiedFrom === 'string') parts.push(`from activity ${details.copiedFrom}`);
        return (
          <li key={index}>
            <strong>{actionLabels[entry.action] ?? entry.action}</strong> by {entry.actorLabel}, {formatDateTime(entry.occurredAt)}
            {parts.length ? <div className="muted">{parts.join(' · ')}</div> : null}
          </li>
        );
      })}
    </ol>
  );
}
