-- Every organiser's profile comes with an empty credit account, opened by the
-- database whoever creates the profile (local sign-up, Supabase sign-up or a
-- Supabase user seen for the first time, the demo seed): lib/auth writes the
-- profile and never touches billing's table.
CREATE FUNCTION public.open_credit_account() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
BEGIN
  INSERT INTO public.credit_accounts (user_id, balance) VALUES (NEW.user_id, 0) ON CONFLICT (user_id) DO NOTHING;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER profiles_open_credit_account
  AFTER INSERT ON public.profiles
  FOR EACH ROW EXECUTE FUNCTION public.open_credit_account();--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.open_credit_account() FROM PUBLIC, anon, authenticated;
