import { useState } from 'react';
import type { IdentitySecret, WidgetConfig } from '../api/types.ts';
import { rotateIdentitySecret } from '../api/widget.ts';
import { Button } from '../components/button.tsx';
import { CodeBlock, SecretField } from '../components/copy.tsx';
import { ConfirmDialog, Dialog } from '../components/dialog.tsx';
import { Badge, Callout } from '../components/feedback.tsx';
import { Card } from '../components/layout.tsx';
import { useToast } from '../components/toast.tsx';
import { useFormSubmit } from '../hooks/use-form-submit.ts';
import { buildIdentitySigningExample, IDENTIFY_SNIPPET } from '../lib/widget-snippets.ts';

/**
 * Identity verification: the secret a business's server signs its visitors' tokens with (made or rotated
 * here, shown once), and how to sign one and hand it to the widget.
 */
export function DeployIdentity({
  chatbotId,
  config,
  onRotated,
}: {
  chatbotId: string;
  config: WidgetConfig;
  onRotated: () => void;
}) {
  const toast = useToast();
  const [isConfirming, setIsConfirming] = useState(false);
  const [secret, setSecret] = useState<IdentitySecret>();
  const mode = config.settings.identity;

  const generate = useFormSubmit<never, IdentitySecret>({
    submit: () => rotateIdentitySecret(chatbotId),
    onSuccess: (created) => {
      setSecret(created);
      onRotated();
    },
    failureTitle: 'Could not make a secret',
  });
  const rotate = async () => {
    const created = await rotateIdentitySecret(chatbotId).catch((error: unknown) => {
      toast.error('Could not rotate the secret', error);
      throw error;
    });
    setSecret(created);
    onRotated();
  };

  return (
    <Card
      title="Identity verification"
      description="Let your site vouch for who a visitor is, so their conversations carry your user id."
      actions={
        config.hasIdentitySecret ? (
          <Button icon="refresh" onClick={() => setIsConfirming(true)}>
            Rotate secret
          </Button>
        ) : (
          <Button
            variant="primary"
            icon="shield"
            isLoading={generate.isPending}
            onClick={() => void generate.handleSubmit()}
          >
            Generate secret
          </Button>
        )
      }
    >
      <div className="stack">
        <p>
          {config.hasIdentitySecret ? (
            <Badge tone="success" dot>
              Secret set
            </Badge>
          ) : (
            <Badge tone="neutral">No secret yet</Badge>
          )}{' '}
          <span className="muted">
            Verification is <strong>{mode}</strong>
            {mode === 'off' ? ': choose Optional or Required under “Limits and identity” to use it.' : '.'}
          </span>
        </p>
        {mode !== 'off' && !config.hasIdentitySecret ? (
          <Callout tone="warning" title="No secret yet">
            Generate one: until then no identity token can be verified
            {mode === 'required' ? ', so every visitor is refused.' : '.'}
          </Callout>
        ) : null}
        <ol className="deploy__identity-steps">
          <li>
            <p>
              Your server signs a token for the signed-in user: HS256 with the secret, <code>sub</code> (your
              user id) required, <code>name</code> and <code>email</code> optional, expiring within 24 hours.
            </p>
            <CodeBlock code={buildIdentitySigningExample(chatbotId)} label="Node.js, on your server" />
          </li>
          <li>
            <p>Your page hands the token to the widget.</p>
            <CodeBlock code={IDENTIFY_SNIPPET} label="HTML, on your page" />
          </li>
        </ol>
      </div>
      {isConfirming ? (
        <ConfirmDialog
          title="Rotate the identity secret?"
          confirmLabel="Rotate secret"
          onConfirm={rotate}
          onClose={() => setIsConfirming(false)}
        >
          <p>
            The current secret stops working at once: tokens your server signs with it are refused until it
            uses the new one.
          </p>
        </ConfirmDialog>
      ) : null}
      {secret ? (
        <Dialog
          title="Your identity secret"
          onClose={() => setSecret(undefined)}
          footer={
            <Button variant="primary" onClick={() => setSecret(undefined)}>
              I have stored it safely
            </Button>
          }
        >
          <div className="stack">
            <Callout tone="warning" title="Copy it now: it is shown only once">
              PollyBot never shows it again. If you lose it, rotate it and update your server.
            </Callout>
            <SecretField value={secret.secret} label="Identity secret" />
            <p className="muted small">
              Keep it on your server (for example in <code>POLLYBOT_IDENTITY_SECRET</code>), never in a web
              page.
            </p>
          </div>
        </Dialog>
      ) : null}
    </Card>
  );
}
