import { AuthPage, authMetadata, type AuthPageProps } from '../auth-page';

export const generateMetadata = () => authMetadata('sign-in');

export default function SignInPage({ searchParams }: AuthPageProps) {
  return <AuthPage mode="sign-in" searchParams={searchParams} />;
}
