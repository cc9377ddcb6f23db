import NextAuth from 'next-auth';
import { authOptions } from '@/lib/auth/options';
import { clientIp } from '@/lib/request-ip';

// Development runs with no configuration: trust the Host header for callback URLs unless NEXTAUTH_URL is set.
if (process.env.NODE_ENV !== 'production') process.env.AUTH_TRUST_HOST ??= 'true';

type Handler = (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

const handler: Handler = async (req, ctx) =>
  (NextAuth(authOptions({ ip: clientIp(req.headers), userAgent: req.headers.get('user-agent') })) as Handler)(req, ctx);

export { handler as GET, handler as POST };
