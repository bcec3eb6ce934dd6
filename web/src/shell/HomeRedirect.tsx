import { Navigate } from 'react-router-dom';
import { homePaths } from '../navigation.ts';
import { useMe } from '../session/SessionContext.tsx';

export function HomeRedirect() {
  const me = useMe();
  return <Navigate to={homePaths[me.role]} replace />;
}
