import { AuthPage, authMetadata, type AuthPageProps } from '../auth-page';

export const generateMetadata = () => authMetadata('sign-up');

export default function SignUpPage({ searchParams }: AuthPageProps) {
  return <AuthPage mode="sign-up" searchParams={searchParams} />;
}
