import { useParams } from 'react-router';

export function TracePage() {
  const { traceId } = useParams();
  return <h1>Trace {traceId}</h1>;
}
