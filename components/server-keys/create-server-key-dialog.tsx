'use client';

import { CreateTokenDialog } from '@/components/tokens/create-token-dialog';
import { createServerKeyAction } from '@/lib/server-keys/actions';
import { createServerKeySchema, type CreateServerKeyInput } from '@/lib/server-keys/schema';

/** Creates a server key in an environment (a name is all it takes) and shows its plaintext once. */
export function CreateServerKeyDialog({ copilotId, environmentId }: { copilotId: string; environmentId?: string }) {
  return (
    <CreateTokenDialog
      schema={createServerKeySchema}
      defaults={{ copilotId, environmentId, name: '' } satisfies CreateServerKeyInput}
      action={createServerKeyAction}
      secretOf={({ key }) => key}
      triggerLabel="Create server key"
      title="Create a server key"
      description="Your copilot engine sends this key with every runtime call. You can have several keys, e.g. to rotate without downtime."
      nameField={{ label: 'Key name', hint: 'Where the key is used, e.g. “production engine”.' }}
      submitLabel="Create key"
      shown={{
        label: 'Server key',
        noun: 'key',
        description: "Copy the key now and store it in your copilot engine's secret store.",
        testId: 'server-key-secret',
      }}
    />
  );
}
