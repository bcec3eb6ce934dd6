import { useEffect, useState, type Ref } from 'react';
import { activitiesApi, type Activity } from '../activities/activitiesApi.ts';

export type ActivityAndDate = { activity: string; completionDate: string };

/**
 * For a sheet that names no activity or date on its rows (a sign-in sheet for one session): the activity and
 * date its rows take. The activity is typed as its ID or title, with the provider's matching activities offered.
 */
export function ActivityAndDateForRows({
  value,
  onChange,
  activityError,
  activityInput,
  completionDateError,
  completionDateInput,
}: {
  value: ActivityAndDate;
  onChange: (value: ActivityAndDate) => void;
  activityError?: string;
  activityInput?: Ref<HTMLInputElement>;
  completionDateError?: string;
  completionDateInput?: Ref<HTMLInputElement>;
}) {
  const suggestions = useActivitySuggestions(value.activity);
  return (
    <fieldset className="field-group">
      <legend>For a sign-in sheet of one session</legend>
      <p id="upload-for-rows-hint" className="field__hint">
        For a CSV or Excel sheet without an Activity or a Date column: a row with no activity takes the one given here,
        and a row with no date the date. Leave them empty when every row gives its own. When the sheet's title, above
        its header, names its session or its day, leave them empty too: pressing Upload fills them in from it, for you
        to check and send.
      </p>
      <div className={activityError ? 'field field--invalid' : 'field'}>
        <label htmlFor="upload-activity" className="field__label">
          Activity of every row
        </label>
        <input
          id="upload-activity"
          ref={activityInput}
          className="input"
          list="upload-activity-choices"
          autoComplete="off"
          placeholder="Its hub ID, your own ID, or its title"
          value={value.activity}
          aria-describedby={activityError ? 'upload-for-rows-hint upload-activity-error' : 'upload-for-rows-hint'}
          aria-invalid={activityError ? true : undefined}
          onChange={(event) => onChange({ ...value, activity: event.target.value })}
        />
        <datalist id="upload-activity-choices">
          {suggestions.map((activity) => (
            <option key={activity.id} value={activity.id} label={`${activity.title} (${activity.providerActivityId})`} />
          ))}
        </datalist>
        {activityError ? (
          <span id="upload-activity-error" className="field__error" role="alert">
            {activityError}
          </span>
        ) : null}
      </div>
      <div className={completionDateError ? 'field field--invalid' : 'field'}>
        <label htmlFor="upload-completion-date" className="field__label">
          Completion date of every row
        </label>
        <input
          id="upload-completion-date"
          ref={completionDateInput}
          type="date"
          className="input"
          value={value.completionDate}
          aria-describedby={completionDateError ? 'upload-for-rows-hint upload-completion-date-error' : 'upload-for-rows-hint'}
          aria-invalid={completionDateError ? true : undefined}
          onChange={(event) => onChange({ ...value, completionDate: event.target.value })}
        />
        {completionDateError ? (
          <span id="upload-completion-date-error" className="field__error" role="alert">
            {completionDateError}
          </span>
        ) : null}
      </div>
    </fieldset>
  );
}

/** The provider's activities matching what is typed, asked a moment after typing stops. */
function useActivitySuggestions(typed: string): Activity[] {
  const [found, setFound] = useState<Activity[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      activitiesApi
        .list({ q: typed.trim() || undefined, status: 'active,ready_to_close', limit: 20 }, controller.signal)
        .then((page) => setFound(page.items))
        // Suggestions only: without them the field still takes an ID or a title.
        .catch(() => undefined);
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [typed]);
  return found;
}
