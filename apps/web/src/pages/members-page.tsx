import { useState } from 'react';
import type { Invitation, Member, MemberRemoved, PendingInvitation, Role } from '../api/types.ts';
import {
  createInvitation,
  listInvitations,
  listMembers,
  removeMember,
  revokeInvitation,
} from '../api/workspace.ts';
import { Button } from '../components/button.tsx';
import { SecretField } from '../components/copy.tsx';
import { ConfirmDialog, Dialog, DialogFormActions } from '../components/dialog.tsx';
import { Badge, Callout, EmptyState } from '../components/feedback.tsx';
import { Field, SegmentedField } from '../components/form.tsx';
import { Card, PageHeader } from '../components/layout.tsx';
import { ListCard, Table } from '../components/table.tsx';
import { useToast } from '../components/toast.tsx';
import { useFormSubmit } from '../hooks/use-form-submit.ts';
import { useResource } from '../hooks/use-resource.ts';
import { capitalize, formatDateTime, initials } from '../lib/format.ts';
import { checkEmail } from '../lib/validation.ts';
import { useSession } from '../session.tsx';
import './members-page.css';

const ROLE_TONES: Record<Role, 'accent' | 'info' | 'neutral'> = {
  owner: 'accent',
  admin: 'info',
  member: 'neutral',
};

/** The link an invitee opens to accept. */
function invitationLink(origin: string, token: string): string {
  return `${origin}/#/accept?token=${encodeURIComponent(token)}`;
}

/** What a removal took with it, in words. */
function describeRevoked(removed: MemberRemoved): string {
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `Revoked ${plural(removed.revokedApiKeys, 'API key')} and ${plural(removed.revokedInvitations, 'invitation')}.`;
}

/** Who belongs to the workspace; owners and admins invite and remove people, and see pending invitations. */
export function MembersPage() {
  const { session, canManageMembers } = useSession();
  const toast = useToast();
  const members = useResource((signal) => listMembers(signal), []);
  // Only owners and admins may read pending invitations; nobody else asks.
  const pending = useResource(
    async (signal) => (canManageMembers ? listInvitations(signal) : []),
    [canManageMembers],
  );
  const [isInviting, setIsInviting] = useState(false);
  const [invitation, setInvitation] = useState<Invitation>();
  const [toRemove, setToRemove] = useState<Member>();
  const [isRevokingKeys, setIsRevokingKeys] = useState(true);
  const [toRevoke, setToRevoke] = useState<PendingInvitation>();

  if (!canManageMembers) {
    return (
      <>
        <PageHeader title="Members" />
        <Card>
          <EmptyState icon="shield" title="Only owners and admins manage members">
            Ask the workspace owner if you need to invite someone.
          </EmptyState>
        </Card>
      </>
    );
  }

  const remove = async (member: Member) => {
    try {
      const removed = await removeMember(member.userId, isRevokingKeys);
      members.setData((current) => current?.filter((item) => item.userId !== member.userId));
      pending.reload();
      toast.success(
        'Member removed',
        `${member.name} no longer has access to this workspace. ${describeRevoked(removed)}`,
      );
    } catch (error) {
      toast.error('Could not remove the member', error);
      throw error;
    }
  };

  const revokePending = async (target: PendingInvitation) => {
    try {
      await revokeInvitation(target.id);
      pending.setData((current) => current?.filter((item) => item.id !== target.id));
      toast.success('Invitation revoked', `The link sent to ${target.email} no longer works.`);
    } catch (error) {
      toast.error('Could not revoke the invitation', error);
      throw error;
    }
  };

  /** A person's name from their user id; null is the operator API, an unknown id someone who has left. */
  const personName = (userId: string | null): string => {
    if (!userId) return 'the operator';
    return members.data?.find((member) => member.userId === userId)?.name ?? 'a former member';
  };

  const memberList = members.data ?? [];
  const pendingList = pending.data ?? [];
  // Nobody removes the owner (admins may do everything else); leaving is not offered here.
  const canRemove = (member: Member) => member.role !== 'owner' && member.userId !== session.user.id;
  const inviteButton = (
    <Button variant="primary" icon="mail" onClick={() => setIsInviting(true)}>
      Invite member
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Members"
        description="People who can sign in to this workspace. Admins manage members; members use chatbots, keys and conversations."
        actions={inviteButton}
      />
      <ListCard
        list={{ ...members, items: memberList }}
        footer={
          !members.isLoading && memberList.length <= 1 ? (
            <EmptyState icon="users" title="Just you so far" action={inviteButton}>
              Invite teammates to build and monitor chatbots with you.
            </EmptyState>
          ) : null
        }
      >
        <Table
          columns={[{ label: 'Name' }, { label: 'Role' }, { label: 'Joined' }]}
          items={memberList}
          isLoading={members.isLoading}
          skeletonRows={3}
          rowKey={(member) => member.userId}
          cells={(member) => (
            <>
              <td>
                <div className="person">
                  <span className="avatar avatar--sm">{initials(member.name || member.email)}</span>
                  <div>
                    <div className="table__strong">
                      {member.name}
                      {member.userId === session.user.id ? <span className="muted"> (you)</span> : null}
                    </div>
                    <div className="table__sub">{member.email}</div>
                  </div>
                </div>
              </td>
              <td>
                <Badge tone={ROLE_TONES[member.role]}>{capitalize(member.role)}</Badge>
              </td>
              <td className="nowrap">{formatDateTime(member.joinedAt)}</td>
            </>
          )}
          actions={(member) =>
            canRemove(member) ? (
              <Button
                size="sm"
                variant="danger"
                onClick={() => {
                  setIsRevokingKeys(true);
                  setToRemove(member);
                }}
              >
                Remove
              </Button>
            ) : null
          }
        />
      </ListCard>
      <ListCard
        list={{ ...pending, items: pendingList }}
        className="card--spaced"
        title="Pending invitations"
        description="Links not yet accepted. Revoke one to make it stop working at once."
        footer={
          !pending.isLoading && pendingList.length === 0 ? (
            <p className="card__inset muted small">No invitation is waiting to be accepted.</p>
          ) : null
        }
      >
        <Table
          label="Pending invitations"
          columns={[{ label: 'Email' }, { label: 'Role' }, { label: 'Invited by' }, { label: 'Expires' }]}
          items={pendingList}
          isLoading={pending.isLoading}
          skeletonRows={1}
          rowKey={(item) => item.id}
          cells={(item) => (
            <>
              <td className="table__strong">{item.email}</td>
              <td>
                <Badge tone={ROLE_TONES[item.role]}>{capitalize(item.role)}</Badge>
              </td>
              <td>{personName(item.createdBy)}</td>
              <td className="nowrap">{formatDateTime(item.expiresAt)}</td>
            </>
          )}
          actions={(item) => (
            <Button size="sm" variant="danger" onClick={() => setToRevoke(item)}>
              Revoke
            </Button>
          )}
        />
      </ListCard>
      {isInviting ? (
        <InviteDialog
          onClose={() => setIsInviting(false)}
          onInvited={(created) => {
            setIsInviting(false);
            setInvitation(created);
            pending.reload();
          }}
        />
      ) : null}
      {invitation ? (
        <Dialog
          title="Invitation created"
          description={`Send this link to ${invitation.email}.`}
          onClose={() => setInvitation(undefined)}
          footer={
            <Button variant="primary" onClick={() => setInvitation(undefined)}>
              Done
            </Button>
          }
        >
          <div className="stack">
            <Callout tone="warning" title="Copy the link now: it is shown only once">
              It works once, for the role {invitation.role}, until {formatDateTime(invitation.expiresAt)}.
              PollyBot does not send email; share it the way you prefer.
            </Callout>
            <SecretField
              value={invitationLink(window.location.origin, invitation.token)}
              label="Invitation link"
            />
          </div>
        </Dialog>
      ) : null}
      {toRemove ? (
        <ConfirmDialog
          title={`Remove ${toRemove.name}?`}
          confirmLabel="Remove member"
          onConfirm={() => remove(toRemove)}
          onClose={() => setToRemove(undefined)}
        >
          <p>
            {toRemove.name} ({toRemove.email}) loses access to this workspace at once, and the invitations
            they sent stop working. Their chatbots and conversations stay.
          </p>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={isRevokingKeys}
              onChange={(event) => setIsRevokingKeys(event.target.checked)}
            />
            <span>Also revoke the API keys they created</span>
          </label>
          <p className="muted small">
            Keep their keys only if software you run still depends on them; anyone holding one keeps access.
          </p>
        </ConfirmDialog>
      ) : null}
      {toRevoke ? (
        <ConfirmDialog
          title={`Revoke the invitation for ${toRevoke.email}?`}
          confirmLabel="Revoke invitation"
          onConfirm={() => revokePending(toRevoke)}
          onClose={() => setToRevoke(undefined)}
        >
          <p>The link stops working at once. You can invite them again later.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function InviteDialog({
  onClose,
  onInvited,
}: {
  onClose: () => void;
  onInvited: (invitation: Invitation) => void;
}) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'member' | 'admin'>('member');
  const form = useFormSubmit<'email', Invitation>({
    validate: () => {
      const emailError = checkEmail(email);
      return emailError ? { email: emailError } : {};
    },
    submit: () => createInvitation({ email: email.trim(), role }),
    onSuccess: onInvited,
    fieldOf: (path) => (path === 'email' ? 'email' : undefined),
    messageField: 'email',
    failureTitle: 'Could not create the invitation',
  });
  return (
    <Dialog
      title="Invite a member"
      description="You get a link to send them; it works once."
      onClose={onClose}
      isBusy={form.isPending}
      size="sm"
    >
      <form className="form" onSubmit={form.handleSubmit} noValidate>
        <Field label="Email" error={form.errors.email}>
          {(props) => (
            <input
              {...props}
              className="input"
              type="email"
              autoFocus
              placeholder="teammate@company.com"
              value={email}
              onChange={(event) => {
                setEmail(event.target.value);
                form.clearError('email');
              }}
            />
          )}
        </Field>
        <SegmentedField
          label="Role"
          value={role}
          onChange={setRole}
          options={[
            { value: 'member', label: 'Member' },
            { value: 'admin', label: 'Admin' },
          ]}
          hint={
            role === 'admin'
              ? 'Admins can do everything, including inviting and removing members (but not the owner).'
              : 'Members use chatbots, the playground, conversations and API keys.'
          }
        />
        <DialogFormActions submitLabel="Create invitation" isPending={form.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
