// French. Same keys and placeholders as en.ts (ARCHITECTURE.md, "Languages").
import type { LocaleMessages } from './index';
import { button, layout, paragraph } from './email-layout';

export const fr: LocaleMessages = {
  intl: 'fr-FR',
  pages: {
    forgotTitle: 'Mot de passe oublié ?',
    forgotIntro:
      'Saisissez l’adresse e-mail de votre compte. Si son mot de passe peut être réinitialisé, nous vous enverrons un lien pour en choisir un nouveau.',
    emailLabel: 'Adresse e-mail',
    sendLink: 'M’envoyer un lien',
    resetTitle: 'Choisissez un nouveau mot de passe',
    checking: 'Vérification de votre lien…',
    linkInvalid: 'Ce lien n’est pas valide, a déjà été utilisé ou a expiré.',
    askNewLink: 'Demander un nouveau lien',
    newPassword: 'Nouveau mot de passe',
    repeatPassword: 'Répétez le nouveau mot de passe',
    setPassword: 'Enregistrer mon mot de passe',
    done: 'Votre mot de passe a été changé. Vous pouvez maintenant vous connecter avec.',
    signIn: 'Se connecter',
    policyLength: 'Au moins {{minLength}} caractères',
    policyNotCommon: 'pas un mot de passe courant',
    policyNotPersonal: 'ni votre adresse e-mail ni votre nom d’utilisateur',
    // French puts a space before a semicolon.
    policySeparator: ' ; ',
    tooManyAttempts: 'Trop de tentatives. Patientez un peu, puis réessayez.',
    somethingWrong: 'Une erreur s’est produite. Veuillez réessayer.',
    invalidEmail: 'Saisissez une adresse e-mail valide.',
    linkOnItsWay:
      'Si cette adresse appartient à un compte dont le mot de passe peut être réinitialisé, un lien est en route. Consultez votre boîte de réception.',
    passwordsDiffer: 'Les deux mots de passe ne correspondent pas.',
    passwordTooShort: 'Le mot de passe doit contenir au moins {{limit}} caractères.',
    passwordTooLong: 'Le mot de passe doit faire au plus {{limit}} octets.',
    passwordCommon: 'Le mot de passe ne doit pas être un mot de passe courant.',
    passwordPersonal: 'Le mot de passe ne doit contenir ni votre adresse e-mail ni votre nom d’utilisateur.',
  },
  templates: {
    reset: {
      subject: 'Réinitialisez votre mot de passe {{siteName}}',
      text: [
        'Quelqu’un a demandé à réinitialiser le mot de passe de votre compte {{siteName}} ({{email}}).',
        '',
        'Pour choisir un nouveau mot de passe, ouvrez ce lien :',
        '{{link}}',
        '',
        'Le lien ne sert qu’une fois et expire {{expiresIn}}, le {{expiresAt}}.',
        '',
        'Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail : votre mot de passe reste inchangé.',
      ].join('\n'),
      html: layout(
        paragraph('Quelqu’un a demandé à réinitialiser le mot de passe de votre compte {{siteName}} ({{email}}).') +
          button('Choisir un nouveau mot de passe') +
          paragraph('Ou copiez ce lien dans votre navigateur :<br><a href="{{link}}">{{link}}</a>') +
          paragraph('Le lien ne sert qu’une fois et expire {{expiresIn}}, le {{expiresAt}}.') +
          paragraph('Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail : votre mot de passe reste inchangé.'),
      ),
    },
    activation: {
      subject: 'Choisissez votre mot de passe {{siteName}}',
      text: [
        'Un administrateur de {{siteName}} vous a envoyé ce lien pour choisir le mot de passe de votre compte ({{email}}).',
        '',
        'Pour choisir votre mot de passe, ouvrez ce lien :',
        '{{link}}',
        '',
        'Le lien ne sert qu’une fois et expire {{expiresIn}}, le {{expiresAt}}.',
        'Tant que vous ne l’avez pas utilisé, votre mot de passe actuel (si vous en avez un) reste valable.',
      ].join('\n'),
      html: layout(
        paragraph('Un administrateur de {{siteName}} vous a envoyé ce lien pour choisir le mot de passe de votre compte ({{email}}).') +
          button('Choisir mon mot de passe') +
          paragraph('Ou copiez ce lien dans votre navigateur :<br><a href="{{link}}">{{link}}</a>') +
          paragraph('Le lien ne sert qu’une fois et expire {{expiresIn}}, le {{expiresAt}}.') +
          paragraph('Tant que vous ne l’avez pas utilisé, votre mot de passe actuel (si vous en avez un) reste valable.'),
      ),
    },
    passwordChanged: {
      subject: 'Votre mot de passe {{siteName}} a été changé',
      text: [
        'Le mot de passe de votre compte {{siteName}} ({{email}}) a été changé le {{changedAt}}.',
        '',
        'Si ce n’est pas vous, demandez immédiatement un nouveau lien : {{forgotLink}}',
        'et contactez les administrateurs du site.',
      ].join('\n'),
      html: layout(
        paragraph('Le mot de passe de votre compte {{siteName}} ({{email}}) a été changé le {{changedAt}}.') +
          paragraph(
            'Si ce n’est pas vous, <a href="{{forgotLink}}">demandez immédiatement un nouveau lien</a> et contactez les administrateurs du site.',
          ),
      ),
    },
    passwordChangedByAdmin: {
      subject: 'Votre mot de passe {{siteName}} a été changé par un administrateur',
      text: [
        'Un administrateur de {{siteName}} a changé le mot de passe de votre compte ({{email}}) le {{changedAt}}.',
        'Votre ancien mot de passe ne fonctionne plus et vous avez été déconnecté partout.',
        '',
        'Si vous ne vous y attendiez pas, contactez les administrateurs du site.',
      ].join('\n'),
      html: layout(
        paragraph('Un administrateur de {{siteName}} a changé le mot de passe de votre compte ({{email}}) le {{changedAt}}.') +
          paragraph('Votre ancien mot de passe ne fonctionne plus et vous avez été déconnecté partout.') +
          paragraph('Si vous ne vous y attendiez pas, contactez les administrateurs du site.'),
      ),
    },
    emailChanged: {
      subject: 'L’adresse e-mail de votre compte {{siteName}} a été changée',
      text: [
        'L’adresse e-mail de votre compte {{siteName}}, qui était {{email}}, a été remplacée par une autre le {{changedAt}},',
        'par quelqu’un d’autre que vous (un administrateur ou une intégration du site).',
        '',
        'Les liens de mot de passe vont désormais à la nouvelle adresse. Si vous ne vous y attendiez pas, contactez immédiatement les administrateurs du site.',
      ].join('\n'),
      html: layout(
        paragraph(
          'L’adresse e-mail de votre compte {{siteName}}, qui était {{email}}, a été remplacée par une autre le {{changedAt}}, par quelqu’un d’autre que vous (un administrateur ou une intégration du site).',
        ) +
          paragraph(
            'Les liens de mot de passe vont désormais à la nouvelle adresse. Si vous ne vous y attendiez pas, contactez immédiatement les administrateurs du site.',
          ),
      ),
    },
    ineligible: {
      subject: 'À propos de votre demande de réinitialisation de mot de passe {{siteName}}',
      text: [
        'Quelqu’un a demandé à réinitialiser le mot de passe du compte {{siteName}} de {{email}}.',
        '',
        'Le mot de passe de ce compte ne peut pas être réinitialisé par e-mail. Contactez les administrateurs du site, qui peuvent vous envoyer un lien.',
        '',
        'Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail : rien n’a changé.',
      ].join('\n'),
      html: layout(
        paragraph('Quelqu’un a demandé à réinitialiser le mot de passe du compte {{siteName}} de {{email}}.') +
          paragraph(
            'Le mot de passe de ce compte ne peut pas être réinitialisé par e-mail. Contactez les administrateurs du site, qui peuvent vous envoyer un lien.',
          ) +
          paragraph('Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail : rien n’a changé.'),
      ),
    },
  },
};
