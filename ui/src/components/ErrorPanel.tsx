import type { ApiError } from '../api/client';

/** What failed (the request and the server's words) and a Retry button: the one way every page shows an API failure. */
export function ErrorPanel({ error, onRetry, what }: { error: ApiError; onRetry?: () => void; what?: string }) {
  return (
    <div className="error-panel" role="alert">
      <strong>{what ? `Could not load ${what}.` : 'The request failed.'}</strong>
      <p className="error-message">{error.message}</p>
      <p className="muted mono">GET {error.url}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
