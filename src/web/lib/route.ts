import { useEffect, useState } from 'preact/hooks';

/** Hash routes (`#/clerk`): the server serves one page, and no desk path can collide with an API path. */
export function useRoute(): [string, (to: string) => void] {
  const read = () => location.hash.replace(/^#\/?/, '') || '';
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return [route, (to: string) => void (location.hash = `#/${to}`)];
}
